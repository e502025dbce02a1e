// Managing mail on the server from the mail app's shell, by role and accessible name,
// against the real Dovecot through the real proxy, each result confirmed from a second
// connection: messages ticked and moved or copied from the selection bar; a message dragged
// onto a folder; a folder marked all read and Trash emptied after a second click; folders
// created (with a name full of IMAP syntax), renamed and deleted, shown as a tree; a folder
// deleted elsewhere; a 300-message folder drawn as a virtual list. (The protocol workbench's
// tests check the same on its forms.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendMessage, deliver, fillFolder, imapCommand, imapFolders, imapSearch } from './fixtures/mailbox.mjs';
import { signedIn, statusText, waitStatus as waitStatusOn } from './fixtures/mailapp.mjs';

const tag = `amanage-${process.pid}-${Date.now()}`;
const alice = (folder, criteria) => imapSearch('alice@example.test', 'alice-password', folder, criteria);
let proxy, context, page, errors;

before(async () => {
  for (const n of [1, 2, 3]) await deliver(`${tag}-${n}`);
  await fillFolder('alice@example.test', 'alice-password', `${tag}-big`, 300, `${tag}-big`);
  ({ proxy, context, page, errors } = await signedIn());
});
after(async () => {
  await context?.close();
  proxy?.close();
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const row = (text) => page.getByRole('listitem', { name: new RegExp(text) });
const folders = () => page.getByRole('navigation', { name: 'Folders' });
/** A folder's link, by its name (the unread count may follow it). */
const folder = (name) => folders().getByRole('link', { name: new RegExp(`^${escape(name)}(, \\d+ unread)?$`) });

const waitStatus = (re) => waitStatusOn(page, re, { errors });

/** Opens a folder from the pane (by its link's name) and waits for its rows. */
async function openFolder(name, server = name) {
  await folder(name).click();
  await waitStatus(new RegExp(`^${escape(server)}: \\d+ messages?\\.$`));
}

async function manage() {
  const box = page.locator('details', { has: page.getByText('Manage folders', { exact: true }) });
  if (!(await box.evaluate((d) => d.open))) await page.getByText('Manage folders', { exact: true }).click();
}

test('ticked messages moved from the selection bar, one copied: confirmed from a second connection', async () => {
  await row(`${tag}-3`).waitFor({ timeout: 20000 });
  await row(`${tag}-1`).getByRole('checkbox').check();
  await row(`${tag}-3`).getByRole('checkbox').check();
  const bar = page.getByRole('toolbar', { name: 'Selected messages' });
  assert.match(await bar.textContent(), /2 selected/);
  await bar.getByLabel('Folder').selectOption('Archive');
  await bar.getByRole('button', { name: 'Move', exact: true }).click();
  await waitStatus(/^Moved 2 messages to Archive\.$/);
  assert.equal((await alice('Archive', `SUBJECT "${tag}"`)).length, 2);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}"`)).length, 1);
  await row(`${tag}-1`).waitFor({ state: 'detached' });

  await row(`${tag}-2`).getByRole('checkbox').check();
  await bar.getByLabel('Folder').selectOption('Junk');
  await bar.getByRole('button', { name: 'Copy', exact: true }).click();
  await waitStatus(/^Copied the message to Junk\.$/);
  assert.equal((await alice('Junk', `SUBJECT "${tag}-2"`)).length, 1);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}-2"`)).length, 1);
});

test('a message dragged onto a folder moves there', async () => {
  await row(`${tag}-2`).dragTo(folder('Trash'));
  await waitStatus(/^Moved the message to Trash\.$/);
  assert.equal((await alice('Trash', `SUBJECT "${tag}-2"`)).length, 1);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}-2"`)).length, 0);
});

test('a folder marked all read, and Trash emptied after a second click', async () => {
  const unread = `${tag}-in-trash`;
  await appendMessage('alice@example.test', 'alice-password', 'Trash',
    `From: Bob <bob@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: ${unread}\r\nMessage-ID: <${unread}@example.test>\r\n\r\nUnread, in Trash.\r\n`);
  await openFolder('Trash');
  await page.waitForURL(/\/f\/Trash$/);
  await manage();
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await waitStatus(/^Every message in Trash is marked read\.$/);
  assert.equal((await alice('Trash', 'UNSEEN')).length, 0);
  assert.equal(await folder('Trash').getAttribute('aria-label'), 'Trash');
  await page.getByRole('button', { name: 'Empty Trash…' }).click();
  await page.getByText('Delete every message in Trash for good?').waitFor();
  assert.ok((await alice('Trash', 'ALL')).length >= 1, 'nothing gone before the second click');
  await page.getByRole('button', { name: 'Empty it' }).click();
  await waitStatus(/^Emptied Trash\.$/);
  assert.equal((await alice('Trash', 'ALL')).length, 0);
  assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').count(), 0);
  await openFolder('Inbox', 'INBOX');
  assert.equal(await page.getByRole('button', { name: /^Empty / }).count(), 0, 'INBOX offers no emptying');
});

test('folders created, renamed and deleted; a name full of IMAP syntax stays a name', async () => {
  const odd = `{5} "Q" \\ ü ${tag}`;
  await manage();
  await page.getByRole('textbox', { name: 'New folder' }).fill(odd);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await waitStatus(new RegExp(`^Created .*${tag}\\.$`));
  await folder(odd).waitFor();
  const listed = await imapFolders('alice@example.test', 'alice-password');
  assert.ok(listed.some((n) => n.includes(tag) && n.includes('&APw-')), `modified UTF-7 on the server: ${listed}`);

  await openFolder(odd);
  await page.getByRole('textbox', { name: 'Rename to' }).fill(`Renamed ${tag}`);
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await waitStatus(new RegExp(`^Renamed .* to Renamed ${tag}\\.$`));
  await folder(`Renamed ${tag}`).waitFor();
  assert.equal(await folder(odd).count(), 0);
  await page.waitForURL(new RegExp(`/f/Renamed%20${tag}$`));

  await page.getByRole('button', { name: 'Delete this folder…' }).click();
  await page.getByText(`Delete Renamed ${tag} and every message in it?`).waitFor();
  await page.getByRole('button', { name: 'Delete it' }).click();
  await waitStatus(new RegExp(`^Deleted the folder Renamed ${tag}\\.$`));
  await folder(`Renamed ${tag}`).waitFor({ state: 'detached' });
  await page.waitForURL(/\/f\/INBOX$/);
  const after = await imapFolders('alice@example.test', 'alice-password');
  assert.ok(!after.some((n) => n.includes(`Renamed ${tag}`)), after.join(', '));
  assert.ok(after.includes('INBOX'));
});

test('folders inside folders show as a tree: each under its parent, by its own name', async () => {
  const parent = `tree-${tag}`;
  await manage();
  for (const name of [`${parent}.inner`, parent]) {
    await page.getByRole('textbox', { name: 'New folder' }).fill(name);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await waitStatus(new RegExp(`^Created ${name.replace('.', '\\.')}\\.$`));
  }
  await folders().locator(`a[title="${parent}.inner"]`).waitFor();
  const shown = await folders().getByRole('link').evaluateAll((as) => as.map((a) => [a.title, a.textContent.trim()]));
  const at = shown.findIndex(([full]) => full === parent);
  assert.ok(at > 0, JSON.stringify(shown));
  assert.deepEqual(shown[at + 1], [`${parent}.inner`, 'inner']);
  const indent = (name) => folders().locator(`a[title="${name}"]`).evaluate((a) => parseFloat(getComputedStyle(a).paddingLeft));
  assert.ok((await indent(`${parent}.inner`)) > (await indent(parent)), 'the child is indented under its parent');
});

test('a folder deleted elsewhere: opening it says so, and the tree is read again', async () => {
  const gone = `gone-${tag}`;
  await manage();
  await page.getByRole('textbox', { name: 'New folder' }).fill(gone);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await waitStatus(new RegExp(`^Created ${gone}\\.$`));
  assert.match(await imapCommand('alice@example.test', 'alice-password', `DELETE "${gone}"`), /^b OK/);
  await folder(gone).click();
  await waitStatus(new RegExp(`the folder ${gone} no longer exists`));
  await folder(gone).waitFor({ state: 'detached' });
});

test('a 300-message folder: only the rows in view exist, and scrolling fetches the rest', async () => {
  await openFolder(`${tag}-big`);
  const list = page.getByRole('list', { name: 'Messages' });
  await row(`${tag}-big-00300`).waitFor();
  const drawn = await list.getByRole('listitem').count();
  assert.ok(drawn > 5 && drawn < 60, `${drawn} rows drawn of 300`);
  const first = row(`${tag}-big-00300`);
  assert.deepEqual([await first.getAttribute('aria-posinset'), await first.getAttribute('aria-setsize')], ['1', '300']);
  await page.getByLabel(/^Message list: /).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await row(`${tag}-big-00001`).waitFor({ timeout: 10000 });
  assert.ok((await list.getByRole('listitem').count()) < 60);
  assert.equal(await row(`${tag}-big-00300`).count(), 0, 'the top rows are gone from the page');
  // Only pages of rows were fetched, never the whole folder at once.
  await page.getByRole('link', { name: 'Settings' }).click();
  const transcript = await page.getByTestId('imap-transcript').textContent();
  assert.match(transcript, /FETCH 251:300 /);
  assert.doesNotMatch(transcript, /FETCH 1:300 /);
  assert.deepEqual(errors, []);
});

test('a row marked read and unread, deleted to Trash, then deleted for good from there', async () => {
  const subject = `${tag}-marks`;
  await deliver(subject);
  await openFolder('Inbox', 'INBOX');
  const it = row(subject);
  await it.waitFor({ timeout: 20000 });
  const count = async (folder, criteria) => (await alice(folder, `${criteria} SUBJECT "${subject}"`)).length;
  const until = async (check, what) => {
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) { if (await check()) return; await page.waitForTimeout(200); }
    throw new Error(`${what} never happened; the page says: ${await statusText(page)}`);
  };
  await it.hover();
  await it.getByRole('button', { name: 'Mark read' }).click();
  await until(async () => (await count('INBOX', 'SEEN')) === 1, 'marked read on the server');
  await it.hover();
  await it.getByRole('button', { name: 'Mark unread' }).click();
  await until(async () => (await count('INBOX', 'UNSEEN')) === 1, 'marked unread on the server');
  await it.hover();
  await it.getByRole('button', { name: 'Delete' }).click();
  await until(async () => (await count('Trash', 'ALL')) === 1 && (await count('INBOX', 'ALL')) === 0, 'moved to Trash');
  await it.waitFor({ state: 'detached' });
  await openFolder('Trash');
  await row(subject).hover();
  await row(subject).getByRole('button', { name: 'Delete' }).click();
  await until(async () => (await count('Trash', 'ALL')) === 0, 'deleted for good');
  await row(subject).waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
