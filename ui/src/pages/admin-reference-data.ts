/**
 * The admin page's reference data: the matter categories with the authority competent for each
 * (R-01/02: a category of a department or district is refused as out of authority) and the
 * legal-basis types. A category is retired, never deleted: the dossiers filed under it keep it.
 */
import { h, clear, announce } from '../dom.ts';
import { api, post } from '../api.ts';
import { t, code } from '../i18n.ts';
import { errorBox, table } from '../util.ts';
import { field, showErrors, clearErrors } from '../fields.ts';
import { referenceData, resetReferenceData, type LegalBasisType, type MatterCategory } from '../reference-data.ts';

const COMPETENT = ['UBND_TINH', 'CHU_TICH_UBND_TINH', 'SO_NGANH', 'UBND_HUYEN'] as const;
const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);

function fail(form: HTMLFormElement, alert: HTMLElement, e: unknown): void {
  const rest = showErrors(form, e);
  alert.textContent = rest.join(' ');
  alert.hidden = rest.length === 0;
}

const activeBadge = (active: boolean) =>
  active ? h('span', { className: 'badge ok' }, `✓ ${t('ref.active')}`) : h('span', { className: 'badge muted' }, `✗ ${t('ref.retired')}`);

function categoriesSection(list: MatterCategory[], reload: () => void): HTMLElement {
  let editing: MatterCategory | null = null;
  const codeIn = h('input', { name: 'code', required: true, autocomplete: 'off', maxlength: 120 });
  const nameVi = h('input', { name: 'nameVi', required: true, maxlength: 200 });
  const nameEn = h('input', { name: 'nameEn', maxlength: 200 });
  const competent = h('select', { name: 'competentAuthority' }, COMPETENT.map((v) => h('option', { value: v }, code('competent', v))));
  const active = h('input', { type: 'checkbox', name: 'active', checked: true });
  const legend = h('legend', {});
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', hidden: true }, t('app.cancel'));
  const form = h('form', { id: 'category-form', novalidate: true },
    h('fieldset', {}, legend, alert,
      h('div', { className: 'grid2' },
        field(t('col.code'), codeIn, t('ref.categoryCodeHint')),
        field(t('ref.nameVi'), nameVi),
        field(t('ref.nameEn'), nameEn),
        field(t('ref.competent'), competent, t('ref.competentHint'))),
      field(t('ref.active'), active, t('ref.activeHint')),
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('app.save')), cancel)));

  function edit(c: MatterCategory | null) {
    editing = c;
    clearErrors(form);
    alert.hidden = true;
    legend.textContent = c ? t('ref.editCategory', { code: c.code }) : t('ref.newCategory');
    codeIn.value = c?.code ?? '';
    codeIn.disabled = !!c;
    nameVi.value = c?.nameVi ?? '';
    nameEn.value = c?.nameEn ?? '';
    competent.value = c?.competentAuthority ?? 'UBND_TINH';
    active.checked = c?.active ?? true;
    cancel.hidden = !c;
    if (c) nameVi.focus();
  }
  cancel.addEventListener('click', () => edit(null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const body = { nameVi: nameVi.value.trim(), nameEn: nameEn.value.trim(), competentAuthority: competent.value, active: active.checked };
      try {
        if (editing) await patch(`/api/admin/matter-categories/${encodeURIComponent(editing.code)}`, body);
        else await post('/api/admin/matter-categories', { code: codeIn.value.trim(), ...body });
        announce(t('admin.saved'), 'success');
        reload();
      } catch (err) {
        fail(form, alert, err);
      }
    })();
  });
  edit(null);

  const rows = list.map((c) => h('tr', { 'data-category': c.code },
    h('td', {}, c.nameVi), h('td', {}, c.nameEn || '—'), h('td', {}, c.code), h('td', {}, code('competent', c.competentAuthority)), h('td', {}, activeBadge(c.active)),
    h('td', {}, h('button', { type: 'button', 'aria-label': `${t('admin.edit')}: ${c.nameVi}`, onclick: () => edit(c) }, t('admin.edit')))));
  return h('div', { id: 'matter-categories' }, h('h3', {}, t('ref.categories')), form,
    h('div', { className: 'scroll' }, table([t('ref.nameVi'), t('ref.nameEn'), t('col.code'), t('ref.competent'), t('col.status'), t('col.actions')], rows, t('ref.categories'))));
}

function legalTypesSection(list: LegalBasisType[], reload: () => void): HTMLElement {
  let editing: LegalBasisType | null = null;
  const codeIn = h('input', { name: 'code', required: true, autocomplete: 'off', maxlength: 40 });
  const nameVi = h('input', { name: 'nameVi', required: true, maxlength: 200 });
  const nameEn = h('input', { name: 'nameEn', maxlength: 200 });
  const rank = h('input', { type: 'number', name: 'rank', required: true, min: 1, max: 100000, step: 1, inputmode: 'numeric', size: 6 });
  const active = h('input', { type: 'checkbox', name: 'active', checked: true });
  const legend = h('legend', {});
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', hidden: true }, t('app.cancel'));
  const form = h('form', { id: 'legal-type-form', novalidate: true },
    h('fieldset', {}, legend, alert,
      h('div', { className: 'grid2' },
        field(t('col.code'), codeIn, t('ref.legalCodeHint')),
        field(t('ref.nameVi'), nameVi),
        field(t('ref.nameEn'), nameEn),
        field(t('ref.rank'), rank, t('ref.rankHint'))),
      field(t('ref.active'), active),
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('app.save')), cancel)));

  function edit(x: LegalBasisType | null) {
    editing = x;
    clearErrors(form);
    alert.hidden = true;
    legend.textContent = x ? t('ref.editLegalType', { code: x.code }) : t('ref.newLegalType');
    codeIn.value = x?.code ?? '';
    codeIn.disabled = !!x;
    nameVi.value = x?.nameVi ?? '';
    nameEn.value = x?.nameEn ?? '';
    rank.value = String(x?.rank ?? Math.max(0, ...list.map((l) => l.rank)) + 10);
    active.checked = x?.active ?? true;
    cancel.hidden = !x;
    if (x) nameVi.focus();
  }
  cancel.addEventListener('click', () => edit(null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const body = { nameVi: nameVi.value.trim(), nameEn: nameEn.value.trim(), rank: Number(rank.value), active: active.checked };
      try {
        if (editing) await patch(`/api/admin/legal-basis-types/${encodeURIComponent(editing.code)}`, body);
        else await post('/api/admin/legal-basis-types', { code: codeIn.value.trim(), ...body });
        announce(t('admin.saved'), 'success');
        reload();
      } catch (err) {
        fail(form, alert, err);
      }
    })();
  });
  edit(null);

  const rows = list.map((x) => h('tr', { 'data-legal-type': x.code },
    h('td', {}, String(x.rank)), h('td', {}, x.nameVi), h('td', {}, x.nameEn || '—'), h('td', {}, x.code), h('td', {}, activeBadge(x.active)),
    h('td', {}, h('button', { type: 'button', 'aria-label': `${t('admin.edit')}: ${x.nameVi}`, onclick: () => edit(x) }, t('admin.edit')))));
  return h('div', { id: 'legal-basis-types' }, h('h3', {}, t('ref.legalTypes')), form,
    h('div', { className: 'scroll' }, table([t('ref.rank'), t('ref.nameVi'), t('ref.nameEn'), t('col.code'), t('col.status'), t('col.actions')], rows, t('ref.legalTypes'))));
}

/** The section, loading its lists (again after every change). */
export function referenceDataSection(): HTMLElement {
  const box = h('div', {});
  const load = async () => {
    resetReferenceData();
    try {
      const data = await referenceData();
      clear(box);
      box.append(categoriesSection(data.matterCategories, () => void load()), legalTypesSection(data.legalBasisTypes, () => void load()));
    } catch (e) {
      clear(box);
      box.append(errorBox(e));
    }
  };
  void load();
  return h('section', { 'aria-labelledby': 'h-reference' }, h('h2', { id: 'h-reference' }, t('admin.referenceData')), h('p', { className: 'muted' }, t('ref.intro')), box);
}
