/** Creating a dossier: the intake rules run on the server, their errors appear next to the fields. */
import { h, clear, announce, nextId } from '../dom.ts';
import { get, post, type DossierCreated } from '../api.ts';
import { t, code, codeValues, getLang } from '../i18n.ts';
import { me } from '../session.ts';
import { navigate, type PageContext } from '../router.ts';
import { agencies } from '../agencies.ts';
import { readFile } from '../forms/files.ts';
import { fieldErrors } from '../errors.ts';
import { dateInput, isoDate, isoInstant } from '../fields.ts';
import { nameOf, referenceData } from '../reference-data.ts';

const SYMBOL_OF: Record<string, string> = { TO_TRINH: 'TTr', CONG_VAN: '', BAO_CAO: 'BC' };

/** The server's field path (documents.0.docType) as the field of this form (sub.docType). */
function formField(path: string): string {
  return path
    .replace(/^documents\.0\.(contentBase64|fileName|contentType)$/, 'sub.file')
    .replace(/^documents\.1\.(contentBase64|fileName|contentType)$/, 'draft.file')
    .replace(/^documents\.0\./, 'sub.')
    .replace(/^documents\.1\./, 'draft.')
    .replace(/^documents$/, 'sub.file')
    .replace(/^legalBasis\.(\d+)\./, (_, n: string) => (n === '0' ? 'legal.' : `legal.${n}.`))
    .replace(/^legalBasis$/, 'legal.numberSymbol')
    .replace(/^options\.(\d+)\./, (_, n: string) => (n === '0' ? 'option.' : `option.${n}.`));
}

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const user = me();
  const allAgencies = await agencies();
  const agencyList = allAgencies.filter((a) => a.code !== user.agencyCode);
  const errs = new Map<string, { input: HTMLElement; error: HTMLElement }>();
  const vi = getLang() === 'vi';
  // The categories and legal-basis types administrators keep, by their names; the code is what is sent.
  const reference = await referenceData();
  const categories = reference.matterCategories.filter((c) => c.active);
  const legalTypes = reference.legalBasisTypes.filter((x) => x.active);

  function field(key: string, label: string, input: HTMLElement, hint?: string, required = false): HTMLElement {
    const id = input.id || nextId('c');
    input.id = id;
    input.setAttribute('name', key);
    const error = h('p', { className: 'field-error', id: `${id}-err`, hidden: true });
    input.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-err`].filter(Boolean).join(' '));
    if (required) input.setAttribute('required', '');
    errs.set(key, { input, error });
    const isCheck = input instanceof HTMLInputElement && input.type === 'checkbox';
    return h('div', { className: 'field' },
      isCheck ? h('label', { className: 'check', for: id }, input, label) : h('label', { for: id }, label + (required ? ' *' : '')),
      hint ? h('span', { className: 'hint', id: `${id}-hint` }, hint) : null,
      isCheck ? null : input,
      error,
    );
  }
  const sel = (values: string[], kind: string, selected?: string) => h('select', {}, values.map((v) => h('option', { value: v, selected: v === selected }, code(kind, v))));

  const subject = h('input', { type: 'text', maxlength: 500 });
  // Offered first: the lead agency's own main field, when it is a category in use.
  const ownField = allAgencies.find((a) => a.code === user.agencyCode)?.fields?.find((f) => categories.some((c) => c.code === f)) ?? '';
  const matter = h('select', {}, h('option', { value: '' }, t('create.chooseCategory')), categories.map((c) => h('option', { value: c.code, selected: c.code === ownField }, nameOf(c))));
  const authority = sel(codeValues('authority'), 'authority', 'UBND_TINH');
  const legalNormative = h('input', { type: 'checkbox' });
  const urgency = sel(codeValues('urgency'), 'urgency', 'THUONG');
  const secrecy = sel(codeValues('secrecy'), 'secrecy', 'NONE');
  const dueAt = dateInput({ name: 'dueAt' });
  // The open tasks UBND assigned to this agency: the dossier that carries one out is linked to it.
  const openTasks = (await get<{ items: { id: string; sourceRef: string; content: string; status: string }[] }>('/api/assigned-tasks').catch(() => ({ items: [] }))).items.filter((x) => x.status === 'OPEN');
  const assignedTask = h('select', {}, h('option', { value: '' }, t('create.assignedTaskNone')), openTasks.map((x) => h('option', { value: x.id }, `${x.sourceRef} · ${x.content.slice(0, 80)}`)));
  const legalTypeSelect = (selected: string) => h('select', {}, legalTypes.map((x) => h('option', { value: x.code, selected: x.code === selected }, nameOf(x))));
  const legalType = legalTypeSelect('LUAT');
  const legalNumber = h('input', { type: 'text' });
  const legalTitle = h('input', { type: 'text' });
  const legalIssuer = h('input', { type: 'text' });
  const legalDate = dateInput({ name: 'legalIssuedAt' });
  const practical = h('textarea', {});
  const proposal = h('textarea', {});
  const option = h('input', { type: 'text' });
  const consulted = agencyList.map((a) => h('input', { type: 'checkbox', value: a.code, id: `consult-${a.code}`, name: 'consultedAgencyCodes' }));
  const docType = sel(['TO_TRINH', 'CONG_VAN', 'BAO_CAO'], 'docType', 'TO_TRINH');
  const symbol = h('input', { type: 'text', value: `/TTr-${user.agencyCode}` });
  docType.addEventListener('change', () => {
    const abbr = SYMBOL_OF[docType.value] ?? '';
    symbol.value = abbr ? `/${abbr}-${user.agencyCode}` : `/${user.agencyCode}-VP`;
  });
  const docSubject = h('input', { type: 'text' });
  const kinhGui = h('input', { type: 'text', value: 'UBND tỉnh Long An' });
  const subFile = h('input', { type: 'file', accept: '.pdf,.doc,.docx,.odt' });
  const draftFile = h('input', { type: 'file', accept: '.pdf,.doc,.docx,.odt' });
  const orgSign = h('input', { type: 'checkbox', checked: true });
  const summary = h('div', { className: 'errors', role: 'alert', hidden: true, tabindex: '-1' });
  const submit = h('button', { type: 'submit', className: 'primary' }, t('create.submit'));

  const consultedBox = h('fieldset', { id: 'consulted' }, h('legend', {}, t('create.consulted')),
    h('div', { className: 'checks' }, agencyList.map((a, i) => h('label', { className: 'check', for: `consult-${a.code}` }, consulted[i]!, `${a.code} · ${a.name}`))),
    h('p', { className: 'field-error', id: 'consulted-err', hidden: true }),
  );
  errs.set('consultedAgencyCodes', { input: consultedBox, error: consultedBox.querySelector('#consulted-err')! });

  // a confidential dossier goes on paper: its documents are described, no file is sent.
  const subFileField = field('sub.file', t('create.file'), subFile, undefined, true);
  const draftFileField = field('draft.file', t('create.file'), draftFile);
  const orgSignField = field('draft.orgSign', t('create.orgSign'), orgSign);
  // nor its content: the practical basis and the proposal are written on the paper only.
  const practicalField = field('practicalBasis', t('create.practicalBasis'), practical, undefined, true);
  const proposalField = field('proposal', t('create.proposal'), proposal, vi ? 'Đề nghị cụ thể, kèm dự thảo (R-03)' : 'A concrete request with its draft (R-03)', true);
  const paperNote = h('p', { className: 'warnings', id: 'paper-note', role: 'note', hidden: true }, t('create.paperNote'));
  const onPaper = () => secrecy.value !== 'NONE';
  const showChannel = () => {
    for (const el of [subFileField, draftFileField, orgSignField, practicalField, proposalField]) el.hidden = onPaper();
    paperNote.hidden = !onPaper();
  };
  secrecy.addEventListener('change', showChannel);

  // Several legal bases and options: each added row has its own fields and errors (legal.1.numberSymbol…).
  type LegalRow = { type: HTMLSelectElement; number: HTMLInputElement; title: HTMLInputElement; issuer: HTMLInputElement; date: HTMLInputElement };
  const legalRows: LegalRow[] = [{ type: legalType, number: legalNumber, title: legalTitle, issuer: legalIssuer, date: legalDate }];
  const moreLegal = h('div', { id: 'more-legal' });
  const addLegal = () => {
    const n = legalRows.length;
    const row: LegalRow = { type: legalTypeSelect('NGHI_DINH'), number: h('input', { type: 'text' }), title: h('input', { type: 'text' }), issuer: h('input', { type: 'text' }), date: dateInput({ name: `legal.${n}.issuedAt` }) };
    legalRows.push(row);
    moreLegal.append(h('div', { className: 'grid2 added-row', role: 'group', 'aria-label': `${t('create.legalBasis')} ${n + 1}` },
      field(`legal.${n}.type`, `${t('create.legalBasis')} (${n + 1})`, row.type),
      field(`legal.${n}.numberSymbol`, t('create.legalNumber'), row.number),
      field(`legal.${n}.title`, t('create.legalTitle'), row.title),
      field(`legal.${n}.issuer`, t('create.legalIssuer'), row.issuer),
      field(`legal.${n}.issuedAt`, t('create.legalDate'), row.date, t('form.dateHint'))));
    row.number.focus();
  };
  const optionInputs: HTMLInputElement[] = [option];
  const moreOptions = h('div', { id: 'more-options' });
  const addOption = () => {
    const n = optionInputs.length;
    const input = h('input', { type: 'text' });
    optionInputs.push(input);
    moreOptions.append(field(`option.${n}.title`, `${t('create.option')} PA${n + 1}`, input));
    input.focus();
  };

  const form = h('form', { novalidate: true, 'aria-labelledby': 'create-title' },
    summary,
    h('fieldset', {}, h('legend', {}, t('create.general')),
      field('subject', t('create.subject'), subject, undefined, true),
      h('div', { className: 'grid2' },
        field('matterCategory', t('create.matterCategory'), matter, undefined, true),
        field('decisionAuthority', t('create.decisionAuthority'), authority),
        field('urgency', t('create.urgency'), urgency),
        field('secrecyLevel', t('create.secrecy'), secrecy),
        field('dueAt', t('create.dueAt'), dueAt, t('form.dateHint')),
        field('assignedTaskId', t('create.assignedTask'), assignedTask, t('create.assignedTaskHint')),
        h('div', { className: 'field' }, h('span', { className: 'hint' }, `${t('create.leadAgency')}: ${user.agencyCode}`)),
      ),
      field('isLegalNormative', t('create.isLegalNormative'), legalNormative),
    ),
    h('fieldset', {}, h('legend', {}, t('create.basis')),
      h('div', { className: 'grid2' },
        field('legal.type', t('create.legalBasis'), legalType),
        field('legal.numberSymbol', t('create.legalNumber'), legalNumber, vi ? 'Ví dụ 77/2015/QH13' : 'e.g. 77/2015/QH13', true),
        field('legal.title', t('create.legalTitle'), legalTitle),
        field('legal.issuer', t('create.legalIssuer'), legalIssuer),
        field('legal.issuedAt', t('create.legalDate'), legalDate, t('form.dateHint')),
      ),
      moreLegal,
      h('button', { type: 'button', id: 'add-legal', onclick: () => addLegal() }, `+ ${t('create.addLegal')}`),
      practicalField,
      proposalField,
      field('option.title', t('create.option'), option),
      moreOptions,
      h('button', { type: 'button', id: 'add-option', onclick: () => addOption() }, `+ ${t('create.addOption')}`),
    ),
    consultedBox,
    h('fieldset', {}, h('legend', {}, t('create.documents')),
      h('h3', {}, t('create.subDoc')),
      h('div', { className: 'grid2' },
        field('sub.docType', t('create.docType'), docType, vi ? 'Tờ trình hoặc công văn đề trình, không dùng báo cáo (R-15)' : 'A tờ trình or công văn, never a báo cáo (R-15)'),
        field('sub.symbol', t('create.symbol'), symbol),
        field('sub.subject', t('create.docSubject'), docSubject),
        field('sub.kinhGui', t('create.kinhGui'), kinhGui),
      ),
      subFileField,
      paperNote,
      h('h3', {}, t('create.draftDoc')),
      draftFileField,
      orgSignField,
    ),
    submit,
  );

  function showErrors(list: { field: string; message: string }[]) {
    for (const { input, error } of errs.values()) {
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    const general: string[] = [];
    let first: HTMLElement | null = null;
    for (const e of list) {
      const f = errs.get(formField(e.field));
      if (!f) {
        general.push(e.message);
        continue;
      }
      f.error.hidden = false;
      f.error.textContent = (f.error.textContent ? f.error.textContent + ' ' : '') + e.message;
      f.input.setAttribute('aria-invalid', 'true');
      first ??= f.input;
    }
    clear(summary);
    summary.append(h('p', {}, h('strong', {}, t('create.errors'))), h('ul', {}, list.map((e) => h('li', {}, e.message))));
    summary.hidden = false;
    summary.focus();
    void first;
    void general;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      if (!onPaper() && !subFile.files?.[0]) {
        showErrors([{ field: 'sub.file', message: t('create.fileRequired') }]);
        return;
      }
      submit.disabled = true;
      try {
        const documents: Record<string, unknown>[] = [
          {
            role: 'SUBMISSION_DOC',
            docType: docType.value,
            symbol: symbol.value.trim(),
            subject: docSubject.value.trim() || subject.value.trim(),
            kinhGui: kinhGui.value.trim() ? [kinhGui.value.trim()] : [],
            noiNhan: vi ? ['Như trên', 'Lưu: VT'] : ['As above', 'Archive'],
            ...(onPaper() ? { medium: 'PAPER' } : { medium: 'ELECTRONIC', ...(await readFile(subFile.files![0]!)) }),
          },
        ];
        if (onPaper()) {
          documents.push({ role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: `Dự thảo: ${subject.value.trim()}`, medium: 'PAPER', orgSign: false, initialed: true });
        } else if (draftFile.files?.[0]) {
          documents.push({ role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: `Dự thảo: ${subject.value.trim()}`, medium: 'ELECTRONIC', orgSign: orgSign.checked, ...(await readFile(draftFile.files[0])) });
        }
        const body = {
          subject: subject.value.trim(),
          matterCategory: matter.value,
          decisionAuthority: authority.value,
          leadAgencyCode: user.agencyCode,
          isLegalNormative: legalNormative.checked,
          urgency: urgency.value,
          secrecyLevel: secrecy.value,
          ...(dueAt.value.trim() ? { dueAt: isoInstant(dueAt.value, '17:00') } : {}),
          ...(assignedTask.value ? { assignedTaskId: assignedTask.value } : {}),
          legalBasis: legalRows
            .filter((r) => r.number.value.trim())
            .map((r) => ({ type: r.type.value, numberSymbol: r.number.value.trim(), ...(r.title.value.trim() ? { title: r.title.value.trim() } : {}), ...(r.issuer.value.trim() ? { issuer: r.issuer.value.trim() } : {}), ...(r.date.value.trim() ? { issuedAt: isoDate(r.date.value) } : {}) })),
          ...(onPaper() ? {} : { practicalBasis: practical.value.trim(), proposal: proposal.value.trim() }),
          options: optionInputs.map((o) => o.value.trim()).filter(Boolean).map((title, i) => ({ id: `PA${i + 1}`, title })),
          consultedAgencyCodes: consulted.filter((c) => c.checked).map((c) => c.value),
          documents,
        };
        const r = await post<DossierCreated>('/api/dossiers', body);
        announce(t('create.created', { id: r.dossier.id }), 'success');
        navigate(`/dossiers/${r.dossier.id}`);
      } catch (err) {
        showErrors(fieldErrors(err));
      } finally {
        submit.disabled = false;
      }
    })();
  });

  root.append(h('p', {}, h('a', { href: '/dossiers' }, `← ${t('dossiers.title')}`)), h('h1', { id: 'create-title' }, t('create.title')), form);
}
