/**
 * The admin page's working-day calendar (R-13, R-22 deadlines): a year's public holidays and
 * make-up working days, added and removed by the administrator. Deadlines already set stay.
 */
import { h, clear, announce } from '../dom.ts';
import { api, get, post, qs } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { errorBox, table } from '../util.ts';
import { field, dateInput, isoDate, showErrors, clearErrors } from '../fields.ts';
import { vietnamYear } from '../../../domain/calendar.ts';

type CalendarDay = { date: string; kind: 'HOLIDAY' | 'WORKDAY'; note: string; changedBy: string | null; changedAt: string };

const WEEKDAYS = ['calendar.sun', 'calendar.mon', 'calendar.tue', 'calendar.wed', 'calendar.thu', 'calendar.fri', 'calendar.sat'] as const;
const weekday = (iso: string) => t(WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]!);

export function calendarSection(): HTMLElement {
  let year = vietnamYear(new Date());
  const yearIn = h('input', { type: 'number', name: 'year', min: 2000, max: 2100, value: String(year), size: 6 });
  const listBox = h('div', { 'aria-live': 'polite' });
  const dateIn = dateInput({ name: 'date', required: true });
  const kind = h('select', { name: 'kind' }, h('option', { value: 'HOLIDAY' }, t('calendar.HOLIDAY')), h('option', { value: 'WORKDAY' }, t('calendar.WORKDAY')));
  const note = h('input', { name: 'note', maxlength: 300 });
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const form = h('form', { id: 'calendar-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('calendar.add')), alert,
      h('div', { className: 'grid2' }, field(t('calendar.date'), dateIn, 'dd/mm/yyyy'), field(t('calendar.kind'), kind), field(t('calendar.note'), note)),
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('calendar.addButton')))));

  const load = async () => {
    clear(listBox);
    try {
      const { items } = await get<{ items: CalendarDay[] }>(`/api/admin/calendar${qs({ year })}`);
      listBox.append(
        items.length === 0
          ? h('p', { className: 'muted' }, t('calendar.empty', { year: String(year) }))
          : h('div', { className: 'scroll' }, table(
              [t('calendar.date'), t('calendar.weekday'), t('calendar.kind'), t('calendar.note'), t('calendar.changedBy'), ''],
              items.map((d) =>
                h('tr', { 'data-date': d.date },
                  h('td', { className: 'nowrap' }, fmtDate(d.date, false)),
                  h('td', {}, weekday(d.date)),
                  h('td', {}, t(`calendar.${d.kind}`)),
                  h('td', {}, d.note || '—'),
                  h('td', {}, d.changedBy ? `${d.changedBy}, ${fmtDate(d.changedAt)}` : t('calendar.seeded')),
                  h('td', {}, h('button', { type: 'button', onclick: () => void remove(d) }, t('calendar.remove'), h('span', { className: 'sr-only' }, ` ${fmtDate(d.date, false)}`))),
                ),
              ),
              t('calendar.caption', { year: String(year) }),
            )),
      );
    } catch (e) {
      listBox.append(errorBox(e));
    }
  };

  const remove = async (d: CalendarDay) => {
    if (!window.confirm(t('calendar.confirmRemove', { date: fmtDate(d.date, false) }))) return;
    try {
      await api('DELETE', `/api/admin/calendar/${d.date}`);
      announce(t('calendar.removed', { date: fmtDate(d.date, false) }), 'success');
      await load();
    } catch (e) {
      announce(errorBox(e).textContent ?? '', 'error');
    }
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    alert.hidden = true;
    const date = isoDate(dateIn.value);
    void post('/api/admin/calendar', { date, kind: kind.value, note: note.value })
      .then(async () => {
        announce(t('calendar.added', { date: fmtDate(date, false) }), 'success');
        form.reset();
        const y = Number(date.slice(0, 4));
        if (y !== year) yearIn.value = String((year = y));
        await load();
      })
      .catch((e: unknown) => {
        const rest = showErrors(form, e);
        alert.textContent = rest.join(' ');
        alert.hidden = rest.length === 0;
      });
  });

  const show = h('button', { type: 'button', onclick: () => ((year = Number(yearIn.value) || year), void load()) }, t('calendar.show'));
  void load();
  return h('section', { 'aria-labelledby': 'h-calendar' },
    h('h2', { id: 'h-calendar' }, t('admin.calendar')),
    h('p', { className: 'muted' }, t('calendar.explain')),
    h('div', { className: 'toolbar' }, field(t('calendar.year'), yearIn), show),
    listBox, form);
}
