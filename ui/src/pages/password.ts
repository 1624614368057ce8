/** Changing one's own password: the current one, the new one twice; the server applies the policy and ends the user's other sessions. */
import { h, announce } from '../dom.ts';
import { ApiError, post } from '../api.ts';
import { t } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { clearErrors, field, showErrors } from '../fields.ts';

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const current = h('input', { type: 'password', name: 'currentPassword', required: true, autocomplete: 'current-password', maxlength: 200 });
  const next = h('input', { type: 'password', name: 'newPassword', required: true, autocomplete: 'new-password', minlength: 12, maxlength: 200 });
  const again = h('input', { type: 'password', name: 'confirmPassword', required: true, autocomplete: 'new-password', maxlength: 200 });
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const done = h('p', { className: 'ok', role: 'status', hidden: true }, t('pw.done'));
  const form = h('form', { id: 'password-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('pw.title')), alert,
      field(t('pw.current'), current),
      field(t('pw.new'), next, t('pw.newHint')),
      field(t('pw.confirm'), again),
      h('button', { type: 'submit', className: 'primary' }, t('pw.submit'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      done.hidden = true;
      if (next.value !== again.value) {
        showErrors(form, new ApiError(422, 'PASSWORD_MISMATCH', t('pw.mismatch'), 'confirmPassword'));
        alert.hidden = true;
        again.focus();
        return;
      }
      try {
        await post('/api/auth/password', { currentPassword: current.value, newPassword: next.value });
        clearErrors(form);
        alert.hidden = true;
        form.reset();
        done.hidden = false;
        announce(t('pw.done'), 'success');
      } catch (err) {
        const rest = showErrors(form, err);
        alert.textContent = rest.join(' ');
        alert.hidden = rest.length === 0;
      }
    })();
  });
  root.append(h('h1', {}, t('pw.title')), h('p', { className: 'muted' }, t('pw.intro')), done, form);
}
