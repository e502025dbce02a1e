// Managing mail on the server from the IMAP web mail, against real Dovecot through the real
// proxy, each result confirmed from a second connection: server-side search; several
// messages moved by the menu and copied; a message dragged onto a folder; folders created
// (with a name full of IMAP syntax), renamed and deleted; a 300-message folder drawn as a
// virtual list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from './fixtures/servers.mjs';
import { deliver, fillFolder, imapCommand, imapFolders, imapSearch } from './fixtures/mailbox.mjs';
import { openWebmail } from './fixtures/webmail.mjs';

const tag = `manage-${process.pid}-${Date.now()}`;
const alice = (folder, criteria) => imapSearch('alice@example.test', 'alice-password', folder, criteria);
let proxy, w;

before(async () => {
  for (const n of [1, 2, 3]) await deliver(`${tag}-${n}`);
  await fillFolder('alice@example.test', 'alice-password', `${tag}-big`, 300, `${tag}-big`);
  proxy = await startProxy(['127.0.0.1:10993']);
  w = await openWebmail(proxy);
  await w.signIn();
});
after(async () => {
  await w?.context.close();
  proxy?.close();
});

async function search(words, field = 'subject') {
  await w.page.getByTestId('imap-search').fill(words);
  await w.page.getByTestId('imap-search-field').selectOption(field);
  await w.page.getByTestId('imap-search-go').click();
}

test('server-side search shows only what matches, and "Show all" the whole folder again', async () => {
  await search(`${tag}-2`);
  await w.waitStatus(/^1 message found in INBOX\.$/);
  await w.settled();
  assert.deepEqual(await w.page.getByTestId('imap-subject').allTextContents(), [`${tag}-2`]);
  await search(tag);
  await w.waitStatus(/^3 messages found in INBOX\.$/);
  await w.settled();
  // Newest first.
  assert.deepEqual(await w.page.getByTestId('imap-subject').allTextContents(), [3, 2, 1].map((n) => `${tag}-${n}`));
  assert.match(await w.transcript(), /UID SEARCH SUBJECT/);
  await w.page.getByTestId('imap-search-clear').click();
  await w.waitStatus(/^INBOX: \d+ messages?\.$/);
});

test('several messages moved by the menu, one copied: confirmed from a second connection', async () => {
  await search(tag);
  await w.waitStatus(/^3 messages found in INBOX\.$/);
  await w.settled();
  await w.row(`${tag}-1`).getByTestId('imap-select').check();
  await w.row(`${tag}-3`).getByTestId('imap-select').check();
  assert.equal(await w.page.getByTestId('imap-selected-count').textContent(), '2 selected');
  await w.page.getByTestId('imap-target-folder').selectOption('Archive');
  await w.page.getByTestId('imap-move').click();
  await w.waitStatus(/^Moved 2 messages to Archive\.$/);
  assert.equal((await alice('Archive', `SUBJECT "${tag}"`)).length, 2);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}"`)).length, 1);
  // The search is run again after the move: only the one left shows.
  await w.settled();
  assert.deepEqual(await w.page.getByTestId('imap-subject').allTextContents(), [`${tag}-2`]);

  await w.row(`${tag}-2`).getByTestId('imap-select').check();
  await w.page.getByTestId('imap-target-folder').selectOption('Junk');
  await w.page.getByTestId('imap-copy').click();
  await w.waitStatus(/^Copied the message to Junk\.$/);
  assert.equal((await alice('Junk', `SUBJECT "${tag}-2"`)).length, 1);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}-2"`)).length, 1);
});

test('a message dragged onto a folder moves there', async () => {
  await w.row(`${tag}-2`).dragTo(w.page.getByTestId('imap-folder-item').filter({ has: w.folder('Trash') }));
  await w.waitStatus(/^Moved the message to Trash\.$/);
  assert.equal((await alice('Trash', `SUBJECT "${tag}-2"`)).length, 1);
  assert.equal((await alice('INBOX', `SUBJECT "${tag}-2"`)).length, 0);
});

test('a folder marked all read, and Trash emptied after a second click', async () => {
  await w.folder('Trash').click();
  await w.waitStatus(/^Trash: \d+ messages?\.$/);
  assert.ok((await alice('Trash', 'ALL')).length >= 1, 'the dragged message is in Trash');
  await w.page.getByTestId('imap-mark-all-read').click();
  await w.waitStatus(/^Every message in Trash is marked read\.$/);
  assert.equal((await alice('Trash', 'UNSEEN')).length, 0);
  assert.match(await w.folder('Trash').getByTestId('imap-folder-counts').textContent(), / 0 unread /);
  await w.page.getByTestId('imap-empty').click();
  assert.match(await w.page.getByTestId('imap-empty-confirm').textContent(), /Delete every message in Trash for good\?/);
  assert.ok((await alice('Trash', 'ALL')).length >= 1, 'nothing gone before the second click');
  await w.page.getByTestId('imap-empty-yes').click();
  await w.waitStatus(/^Emptied Trash\.$/);
  assert.equal((await alice('Trash', 'ALL')).length, 0);
  assert.equal(await w.page.getByTestId('imap-message').count(), 0);
  // INBOX offers no emptying.
  await w.folder('INBOX').click();
  await w.waitStatus(/^INBOX: \d+ messages?\.$/);
  assert.equal(await w.page.getByTestId('imap-empty').count(), 0);
});

test('folders created, renamed and deleted; a name full of IMAP syntax stays a name', async () => {
  const odd = `{5} "Q" \\ ü ${tag}`;
  await w.page.getByTestId('imap-new-folder').fill(odd);
  await w.page.getByTestId('imap-create-folder').click();
  await w.waitStatus(new RegExp(`^Created .*${tag}\\.$`));
  assert.ok((await w.page.getByTestId('imap-folder-name').allTextContents()).includes(odd));
  const listed = await imapFolders('alice@example.test', 'alice-password');
  assert.ok(listed.some((n) => n.includes(tag) && n.includes('&APw-')), `modified UTF-7 on the server: ${listed}`);
  assert.ok(listed.includes('INBOX'));

  await w.folder(odd).click();
  await w.waitStatus(/: 0 messages\.$/);
  await w.page.getByTestId('imap-rename-to').fill(`Renamed ${tag}`);
  await w.page.getByTestId('imap-rename-folder').click();
  await w.waitStatus(new RegExp(`^Renamed .* to Renamed ${tag}\\.$`));
  let names = await w.page.getByTestId('imap-folder-name').allTextContents();
  assert.ok(names.includes(`Renamed ${tag}`) && !names.includes(odd), names.join(', '));

  await w.page.getByTestId('imap-delete-folder').click();
  assert.equal(await w.page.getByTestId('imap-delete-folder-confirm').evaluate((e) => e.firstChild.textContent), `Delete Renamed ${tag} and every message in it?`);
  await w.page.getByTestId('imap-delete-folder-yes').click();
  await w.waitStatus(new RegExp(`^Deleted the folder Renamed ${tag}\\.$`));
  names = await w.page.getByTestId('imap-folder-name').allTextContents();
  assert.ok(!names.includes(`Renamed ${tag}`) && !names.includes(odd), names.join(', '));
  const after = await imapFolders('alice@example.test', 'alice-password');
  assert.ok(!after.some((n) => n.includes(`Renamed ${tag}`)), after.join(', '));
  assert.ok(after.includes('INBOX'));
});

test('folders inside folders show as a tree: each under its parent, by its own name', async () => {
  const parent = `tree-${tag}`;
  for (const name of [`${parent}.inner`, parent]) {
    await w.page.getByTestId('imap-new-folder').fill(name);
    await w.page.getByTestId('imap-create-folder').click();
    await w.waitStatus(new RegExp(`^Created ${name.replace('.', '\\.')}\\.$`));
  }
  const shown = await w.page.getByTestId('imap-folder').evaluateAll((bs) => bs.map((b) => [b.title, b.querySelector('[data-testid=imap-folder-name]').textContent, b.style.paddingLeft]));
  const at = shown.findIndex(([full]) => full === parent);
  assert.ok(at > 0, JSON.stringify(shown));
  assert.deepEqual(shown[at + 1], [`${parent}.inner`, 'inner', '1rem']);
  assert.equal(shown[0][0], 'INBOX');
});

test('a folder deleted elsewhere: opening it says so, and the tree is read again', async () => {
  const gone = `gone-${tag}`;
  await w.page.getByTestId('imap-new-folder').fill(gone);
  await w.page.getByTestId('imap-create-folder').click();
  await w.waitStatus(new RegExp(`^Created ${gone}\\.$`));
  assert.match(await imapCommand('alice@example.test', 'alice-password', `DELETE "${gone}"`), /^b OK/);
  await w.folder(gone).click();
  await w.waitStatus(new RegExp(`the folder ${gone} no longer exists`));
  await w.page.waitForFunction((g) => ![...document.querySelectorAll('[data-testid=imap-folder-name]')].some((n) => n.textContent === g), gone);
});

test('a 300-message folder: only the rows in view exist, and scrolling fetches the rest', async () => {
  await w.folder(`${tag}-big`).click();
  await w.waitStatus(/: 300 messages\.$/);
  await w.row(`${tag}-big-00300`).waitFor();
  await w.settled();
  const drawn = await w.page.getByTestId('imap-message').count();
  assert.ok(drawn > 5 && drawn < 60, `${drawn} rows drawn of 300`);
  assert.deepEqual((await w.page.getByTestId('imap-subject').allTextContents()).slice(0, 2), [`${tag}-big-00300`, `${tag}-big-00299`]);
  // A screen reader hears where each drawn row stands in the whole folder.
  const first = w.row(`${tag}-big-00300`);
  assert.deepEqual([await first.getAttribute('aria-posinset'), await first.getAttribute('aria-setsize')], ['1', '300']);
  // Only the first page was fetched by position, not the whole folder.
  assert.match(await w.transcript(), /FETCH 251:300 /);
  assert.doesNotMatch(await w.transcript(), /FETCH 1:300 /);
  await w.page.getByTestId('imap-messages').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await w.row(`${tag}-big-00001`).waitFor({ timeout: 10000 });
  assert.ok((await w.page.getByTestId('imap-message').count()) < 60);
  assert.equal(await w.row(`${tag}-big-00300`).count(), 0, 'the top rows are gone from the page');
  assert.deepEqual(w.errors, []);
});

test('the list works from the keyboard: move, select, open, mark', async () => {
  // The 300-message folder, at the top.
  await w.folder(`${tag}-big`).click();
  await w.waitStatus(/: 300 messages\.$/);
  await w.page.getByTestId('imap-messages').evaluate((el) => { el.scrollTop = 0; });
  await w.row(`${tag}-big-00300`).waitFor();
  await w.settled();
  await w.page.getByTestId('imap-messages').focus();
  for (const key of ['j', 'ArrowDown', 'k', 'j']) await w.page.keyboard.press(key);
  const cursor = w.page.locator('[data-testid=imap-message].cursor');
  assert.match(await cursor.textContent(), new RegExp(`${tag}-big-00299`));
  await w.page.keyboard.press('x');
  assert.equal(await w.page.getByTestId('imap-selected-count').textContent(), '1 selected');
  await w.page.keyboard.press('x');
  await w.page.keyboard.press('u');
  await w.page.waitForFunction((s) => document.querySelector('[data-testid=imap-message].cursor [aria-label="Mark unread"]') && document.querySelector('[data-testid=imap-message].cursor')?.textContent.includes(s), `${tag}-big-00299`);
  assert.equal((await alice(`${tag}-big`, `SEEN SUBJECT "${tag}-big-00299"`)).length, 1, 'marked read on the server');
  await w.page.getByTestId('imap-messages').focus();
  await w.page.keyboard.press('Enter');
  await w.page.waitForFunction((s) => document.querySelector('[data-testid=subject]')?.textContent === s, `${tag}-big-00299`);
});

test('the web mail fits a 360-px screen, and every control has a name', async () => {
  await w.folder('INBOX').click();
  await w.waitStatus(/^INBOX: \d+ messages?\.$/);
  await w.settled();
  await w.page.getByTestId('imap-select').first().check();
  await w.page.setViewportSize({ width: 360, height: 740 });
  const width = await w.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width}px wide`);
  const nameless = await w.page.getByTestId('webmail-page').evaluate((root) =>
    [...root.querySelectorAll('button, input, select')].filter((el) => {
      const label = el.labels?.[0]?.textContent ?? '';
      return !(el.getAttribute('aria-label') || el.textContent.trim() || label.trim() || el.title);
    }).map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(nameless, []);
  await w.page.setViewportSize({ width: 1280, height: 900 });
});
