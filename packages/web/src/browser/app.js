// The web view's only script (no build step; loaded as a module from this server, nothing
// inline). It follows the page's Server-Sent Events stream and puts what changed in place: whole
// regions of a conversation or the Sessions page, single rows of the list, the tab title. What a
// person is typing in a form survives a region being replaced. New markup comes from the server,
// already escaped, and is parsed in a <template>, where nothing runs.

const body = document.body;

/** Parses one element of server markup without running anything in it. */
function parse(html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content.firstElementChild;
}

const editable = (el) => el.name && el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button';
const fieldKey = (el) => `${el.form ? el.form.id : ''}\u0000${el.name}`;

/** Replaces the element with this id, keeping the values, focus and open <details> a person changed. */
function replaceRegion(id, html) {
  const old = document.getElementById(id);
  const fresh = parse(html);
  if (!old || !fresh) return;
  const kept = new Map();
  for (const el of old.querySelectorAll('input, textarea, select')) {
    const changed = el.type === 'checkbox' ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
    if (editable(el) && (changed || el.tagName === 'SELECT')) kept.set(fieldKey(el), el);
  }
  const focused = document.activeElement && old.contains(document.activeElement) ? fieldKey(document.activeElement) : null;
  const openDetails = new Set([...old.querySelectorAll('details[open]')].map((d, i) => d.id || i));
  for (const el of fresh.querySelectorAll('input, textarea, select')) {
    const before = kept.get(fieldKey(el));
    if (!before || !editable(el)) continue;
    if (el.type === 'checkbox') el.checked = before.checked;
    else if (el.tagName !== 'SELECT' || [...el.options].some((o) => o.value === before.value)) el.value = before.value;
  }
  [...fresh.querySelectorAll('details')].forEach((d, i) => {
    if (openDetails.has(d.id || i)) d.open = true;
  });
  old.replaceWith(fresh);
  if (focused) {
    const again = [...fresh.querySelectorAll('input, textarea, select')].find((el) => fieldKey(el) === focused);
    if (again) again.focus();
  }
}

/** Puts changed rows of the list in place, newest activity first; a row that left the filter goes. */
function upsertRows(rows) {
  const list = document.getElementById('rows');
  if (!list) return;
  for (const row of rows) {
    document.getElementById(`c-${row.id}`)?.remove();
    if (!row.html) continue;
    const fresh = parse(row.html);
    if (!fresh) continue;
    const after = [...list.children].find((other) => (other.dataset.at || '') < row.at);
    list.insertBefore(fresh, after || null);
  }
  document.getElementById('empty')?.remove();
}

function linkState(live) {
  const el = document.getElementById('link-state');
  if (!el) return;
  el.textContent = live ? 'live' : 'reconnecting…';
  el.className = live ? 'live' : 'stale';
}

function apply(update) {
  if (update.reload) {
    location.reload();
    return;
  }
  if (update.title) document.title = update.title;
  if (update.regions) for (const [id, html] of Object.entries(update.regions)) replaceRegion(id, html);
  if (update.rows) upsertRows(update.rows);
}

if (body.dataset.stream) {
  const url = body.dataset.stream;
  const source = new EventSource(`${url}${url.includes('?') ? '&' : '?'}since=${encodeURIComponent(body.dataset.seq || '0')}`);
  source.addEventListener('update', (e) => apply(JSON.parse(e.data)));
  source.addEventListener('open', () => linkState(true));
  source.addEventListener('error', () => linkState(false));
}
