// A plain page until the web app lands: sign in, then my tasks and the dossiers I may see.
let csrf = '';
const $ = (s) => document.querySelector(s);
const cell = (text, cls) => {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (cls) td.className = cls;
  return td;
};
const fmt = (iso) => (iso ? new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '');

async function api(path, opts = {}) {
  const res = await fetch(path, { ...opts, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, ...(opts.headers || {}) } });
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? res.statusText);
  return body;
}

async function show() {
  const [tasks, dossiers] = await Promise.all([api('/api/tasks'), api('/api/dossiers')]);
  const tb = $('#tasks tbody');
  tb.replaceChildren(
    ...tasks.items.map((t) => {
      const tr = document.createElement('tr');
      tr.append(cell(fmt(t.due), t.overdue ? 'overdue' : ''), cell(t.dossierId), cell(t.name), cell(t.assignee ?? '—'));
      return tr;
    }),
  );
  const db = $('#dossiers tbody');
  db.replaceChildren(
    ...dossiers.items.map((d) => {
      const tr = document.createElement('tr');
      tr.append(cell(d.id), cell(d.subject), cell(d.leadAgencyCode), cell(d.status), cell(fmt(d.dueAt), d.overdue ? 'overdue' : ''));
      return tr;
    }),
  );
  $('#login').hidden = true;
  $('#lists').hidden = false;
}

$('#login').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const r = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: $('#username').value, password: $('#password').value }) });
    csrf = r.csrfToken;
    $('#who').textContent = `${r.user.fullName} (${r.user.agencyCode})`;
    await show();
  } catch (err) {
    $('#login-error').textContent = err.message;
  }
});

$('#logout').addEventListener('click', async () => {
  await api('/api/auth/logout', { method: 'POST' });
  location.reload();
});

api('/api/auth/me')
  .then((r) => {
    csrf = r.csrfToken;
    $('#who').textContent = `${r.user.fullName} (${r.user.agencyCode})`;
    return show();
  })
  .catch(() => {});
