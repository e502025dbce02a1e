// "Check live" in the inspector: a message alice submits to Postfix (signed by OpenDKIM),
// checked in Chromium through the proxy (--resolver) against NSD serving example.test. DKIM,
// SPF and DMARC pass and the reverse DNS matches the HELO; a changed body or header fails
// DKIM with the reason; the key removed or an SPF record for another address fail as they
// should; a HELO other than the PTR is flagged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, openApp } from './fixtures/browser.mjs';
import { Inspector, REPO } from './fixtures/inspector.mjs';
import { submitSigned as sendSigned } from './fixtures/mailbox.mjs';

let context, page, errors, ui;

before(async () => {
  context = await launch();
  ({ page, errors } = await openApp(context));
  ui = new Inspector(page);
});
after(async () => context?.close());

let live;

/** Opens `raw` in a freshly loaded inspector and its live checks' frame (a new worker: no
 *  answers cached); `live` is then that frame. */
async function open(raw, name = 'signed.eml') {
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  await ui.drop([{ name, buffer: Buffer.from(raw, 'latin1') }]);
  await ui.waitForCount(1);
  await ui.tab('auth');
  await page.getByRole('button', { name: 'Open live checks' }).click();
  live = page.frameLocator('iframe[title="Live checks"]');
  await live.getByTestId('live-check').waitFor();
}

/** Clicks "Check live" (or "Check again") and returns the result rows. */
async function checkLive(button = 'Check live') {
  const start = live.getByRole('button', { name: button });
  await live.locator('button.primary:not([disabled])').waitFor({ timeout: 10000 })
    .catch(async () => { throw new Error(`"${button}" never became clickable; the section says: ${await live.getByTestId('live-check').textContent()}`); });
  await start.click();
  const done = live.getByRole('button', { name: 'Check again' });
  await done.waitFor({ timeout: 20000 }).catch(async () => {
    throw new Error(`the live checks never finished; the section says: ${await live.getByTestId('live-check').textContent()}`);
  });
  return live.getByTestId('live-row').evaluateAll((rows) => rows.map((r) => ({
    check: r.cells[0].textContent.trim(),
    result: r.cells[1].textContent.trim(),
    details: r.cells[2].innerText.replace(/\s+/g, ' ').trim(),
    said: r.cells[3].innerText.replace(/\s+/g, ' ').trim(),
  })));
}

const row = (rows, check) => {
  const found = rows.find((r) => r.check === check);
  assert.ok(found, `a ${check} row in ${JSON.stringify(rows)}`);
  return found;
};

function zone(variant) {
  execFileSync(join(REPO, 'tests/mailserver.sh'), ['zone', variant], { stdio: 'pipe', timeout: 15000 });
}

function changed(raw, from, to) {
  assert.ok(raw.includes(from), `${from} is in the message`);
  return raw.replace(from, to);
}

test('a message signed on submission passes DKIM, SPF and DMARC live, and its reverse DNS matches the HELO', async () => {
  const raw = await sendSigned('client.example.test');
  await open(raw);
  const section = live.getByTestId('live-check');
  await section.getByText('127.0.0.1:10053').waitFor();
  const names = await section.locator('.live-names li').allTextContents();
  assert.deepEqual(names.slice(0, 3), ['TXT mail._domainkey.example.test', 'TXT example.test', 'TXT _dmarc.example.test']);
  assert.ok(names.includes('PTR 1.0.0.127.in-addr.arpa'), names.join(', '));

  const rows = await checkLive();
  const dkim = row(rows, 'DKIM');
  assert.equal(dkim.result, 'pass');
  assert.match(dkim.details, /d=example\.test s=mail rsa-sha256, 2048-bit key/);
  const spf = row(rows, 'SPF');
  assert.equal(spf.result, 'pass');
  assert.match(spf.details, /mailfrom example\.test from 127\.0\.0\.1/);
  assert.match(spf.details, /Decided by ip4:127\.0\.0\.1 in example\.test/);
  const dmarc = row(rows, 'DMARC');
  assert.equal(dmarc.result, 'pass');
  assert.match(dmarc.details, /policy reject; SPF aligned, DKIM aligned/);
  const rdns = row(rows, 'Reverse DNS, hop 1');
  assert.equal(rdns.result, 'pass');
  assert.match(rdns.details, /127\.0\.0\.1 → client\.example\.test/);
  assert.match(rdns.details, /HELO client\.example\.test matches/);
  const summary = await live.getByTestId('live-transcript').locator('summary').textContent();
  assert.match(summary, /DNS transcript: \d+ queries in [12] rounds?, \d+ ms/);
  await live.getByTestId('live-transcript').locator('summary').click();
  assert.match(await live.getByTestId('live-transcript').textContent(), /= TXT mail\._domainkey\.example\.test: "v=DKIM1;/);

  // Again on the same page: every answer is still within its TTL.
  const again = await checkLive('Check again');
  assert.equal(row(again, 'DKIM').result, 'pass');
  assert.match(await live.getByTestId('live-transcript').locator('summary').textContent(), /0 queries in 0 rounds.*answered from this page's cache/);
  assert.deepEqual(errors, []);
});

test('a changed body byte fails DKIM with "body hash mismatch", a changed header with "signature mismatch"', async () => {
  const raw = await sendSigned('client.example.test');
  await open(changed(raw, 'Hello Bob.', 'Hello Bob!'));
  let dkim = row(await checkLive(), 'DKIM');
  assert.equal(dkim.result, 'fail');
  assert.match(dkim.details, /body hash mismatch: the body was changed after it was signed/);

  const subject = raw.match(/^Subject: .*$/m)[0];
  await open(changed(raw, subject, `${subject} (edited)`));
  const rows = await checkLive();
  dkim = row(rows, 'DKIM');
  assert.equal(dkim.result, 'fail');
  assert.match(dkim.details, /signature mismatch: a signed header field was changed after signing/);
  assert.match(row(rows, 'DMARC').details, /SPF aligned, DKIM not aligned/);
});

test('with the key removed from the zone DKIM says "no key"; an SPF record without the address fails', async () => {
  const raw = await sendSigned('client.example.test');
  try {
    zone('no-dkim-key');
    await open(raw);
    const dkim = row(await checkLive(), 'DKIM');
    assert.equal(dkim.result, 'permerror');
    assert.match(dkim.details, /no key: mail\._domainkey\.example\.test has no DKIM key record/);

    zone('spf-elsewhere');
    await open(raw);
    const spf = row(await checkLive(), 'SPF');
    assert.equal(spf.result, 'fail');
    assert.match(spf.details, /Decided by -all in example\.test/);
    assert.match(spf.details, /example\.test's SPF record does not allow this address/);
  } finally {
    zone('default');
  }
});

test('a HELO other than the reverse DNS of its address is flagged', async () => {
  const raw = await sendSigned('elsewhere.example.net');
  await open(raw);
  const rdns = row(await checkLive(), 'Reverse DNS, hop 1');
  assert.match(rdns.details, /HELO elsewhere\.example\.net does not match the reverse DNS/);
  assert.match(rdns.details, /The name resolves back to the address/);
});

test('SPF is checked against the hop that came from the Internet, or another one the user picks', async () => {
  const raw = [
    'Return-Path: <alice@example.test>',
    'Received: from mx1.example.test (mx1.example.test [192.0.2.11]) by mail.example.test with ESMTPS id 2; Thu, 3 Dec 2026 10:00:02 +0000',
    'Received: from client.example.test (client.example.test [127.0.0.1]) by mx1.example.test with ESMTPSA id 1; Thu, 3 Dec 2026 10:00:01 +0000',
    'From: Alice <alice@example.test>', 'To: Bob <bob@example.test>', 'Subject: two hops',
    'Date: Thu, 3 Dec 2026 10:00:00 +0000', '', 'Hello.', '',
  ].join('\r\n');
  await open(raw, 'two-hops.eml');
  let spf = row(await checkLive(), 'SPF');
  assert.equal(spf.result, 'fail', 'the public hop is not in example.test\'s SPF record');
  assert.match(spf.details, /from 192\.0\.2\.11 Hop 2: the newest hop from a public address: where mail\.example\.test took the message from the Internet/);
  await live.getByRole('combobox', { name: 'Hop to check SPF against' }).selectOption('1');
  spf = row(await checkLive('Check again'), 'SPF');
  assert.equal(spf.result, 'pass');
  assert.match(spf.details, /from 127\.0\.0\.1 Hop 1: the hop you chose/);
  const rows = await live.getByTestId('live-row').evaluateAll((all) => all.map((r) => ({ check: r.cells[0].textContent.trim(), result: r.cells[1].textContent.trim() })));
  assert.equal(row(rows, 'Reverse DNS, hop 2').result, 'pass', 'mx1.example.test is 192.0.2.11 both ways');
});
