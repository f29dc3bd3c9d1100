// participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
//
// Browser tests of `participa serve`, run by tests/browser/run against a
// server it started on the sample plan with four users (responsable of
// "Secretaría de Participación", control, planeacion, admin). Drives Debian's
// headless Chromium through playwright-core:
//
//   a. a responsable signs in, opens /reportar, one of its office's
//      activities, reports progress with a small PDF and sees the notice;
//   b. control interno signs in and verifies that report in /verificacion;
//   c. the public overview "/" shows the office's new figure, computed here
//      from the plan (`participa report --format json`) and written as es-CO
//      writes it, and the public activity page links the evidence;
//   d. the skip link is the first Tab stop, and the progress form is
//      completed with the keyboard alone (Tab, typing, Space, Enter; the file
//      chooser answered as the system dialog would);
//   e. axe-core finds no WCAG 2.1 A/AA violation on every GET page of
//      src/*/*_module.c (parameters given sample values), each visited as
//      every role that may see it, plus error pages and forms with errors;
//      a Content-Security-Policy refusal or a failed sub-resource fails the
//      page too (a planted unlabelled field and inline style first prove
//      that both are caught);
//   f. a screenshot of each page into $BROWSER_ARTIFACTS (with axe.json, the
//      full axe results);
//   g. a citizen files a PQRSD suggestion with the keyboard alone (radio
//      groups with Space and the arrows), gets the receipt and checks its
//      status with the radicado and code; planeación assigns it;
//   h. planeación publishes an open challenge (retos) through its form, the
//      public sends two proposals, planeación publishes one from the
//      moderation queue: only that one shows on the challenge's page (the
//      challenge is the sample for {reto} in e).
//
// It does not start or stop the server, create users, or test HTTP details
// (status codes per role, headers): the unit tests of the server do that.
// Prints "ok browser-NAME" or "FAIL browser-NAME: detail" per check, writes
// "PASSED FAILED" to $BROWSER_WORK/counts for the runner's closing line.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BASE = need('PARTICIPA_URL');
const BIN = need('PARTICIPA_BIN');
const DB = need('PARTICIPA_TEST_DB');
const PASSWORD = need('PARTICIPA_TEST_PASSWORD');
const ART = need('BROWSER_ARTIFACTS');
const WORK = need('BROWSER_WORK');
const ROUTES = need('ROUTES');

const OFFICE = 'Secretaría de Participación'; // the responsable's office
const NOTE_A = 'Herramienta de caracterización aplicada (prueba de navegador, con el ratón).';
const NOTE_B = 'Matriz de instancias publicada (prueba de navegador, solo teclado).';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT_MS = 20000;
const SUBMIT = 'button[type=submit], input[type=submit], button:not([type])';

// The capability letters of each role (auth.h auth_role_caps) and the
// context each role's pages are visited in.
const ROLES = {
  admin: 'uapq',
  planeacion: 'upq',
  responsable: 'urq',
  control: 'uv',
};

// The flags the machine's notes give for Chromium as root on a closed
// network: no sandbox, no GPU, and none of its background connections.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function need(zName) {
  const z = process.env[zName];
  if (!z) {
    console.error(`flows.mjs: falta la variable ${zName} (use tests/browser/run)`);
    process.exit(2);
  }
  return z;
}

// ---- the checks' bookkeeping ---------------------------------------------

let nPass = 0;
let nFail = 0;

function pass(zName) {
  nPass++;
  console.log(`ok browser-${zName}`);
}

function fail(zName, zWhy) {
  nFail++;
  console.log(`FAIL browser-${zName}: ${zWhy}`);
}

// Run one check; returns true when it passed. A thrown Error fails it with
// its message (Playwright's include a call log: keep the first lines).
async function check(zName, xBody) {
  try {
    await xBody();
    pass(zName);
    return true;
  } catch (e) {
    const zMsg = String(e && e.message ? e.message : e).split('\n').slice(0, 6).join('\n    ');
    fail(zName, zMsg);
    return false;
  }
}

function expect(bCond, zWhy) {
  if (!bCond) throw new Error(zWhy);
}

// ---- the plan as the CLI computes it --------------------------------------

// The report of the current plan at the server's date (PARTICIPA_NOW is
// inherited), read from the same database the server uses.
function reportJson() {
  const z = execFileSync(BIN, ['--db', DB, 'report', '--format', 'json'], { encoding: 'utf8' });
  return JSON.parse(z);
}

// "25,0 %" for 0.25: one decimal with a comma, as page.h fmt_percent says.
function fmtPercent(r) {
  return `${(Math.round(r * 1000) / 10).toFixed(1).replace('.', ',')} %`;
}

// The office's weighted mean progress when activity iItem gets rValue more
// verified (the report's rule: achieved / target, at most 100 %).
function officeProgressAfter(report, zOffice, iItem, rValue) {
  let rSum = 0;
  let rWeight = 0;
  for (const a of report.actividades) {
    if (!a.dependencias.includes(zOffice)) continue;
    let r = a.avance;
    if (a.item === iItem) r = Math.min((a.logro + rValue) / a.meta, 1);
    rSum += a.peso * r;
    rWeight += a.peso;
  }
  return rSum / rWeight;
}

function officeRow(report, zOffice) {
  const row = report.por_dependencia.find((o) => o.nombre === zOffice);
  if (!row) throw new Error(`el informe no tiene la dependencia «${zOffice}»`);
  return row;
}

// ---- a small valid PDF, made here -----------------------------------------

function tinyPdf() {
  const zText = 'BT /F1 12 Tf 20 50 Td (Evidencia de prueba) Tj ET';
  const aObj = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R ' +
      '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${zText.length} >>\nstream\n${zText}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let z = '%PDF-1.4\n';
  const aOffset = [];
  aObj.forEach((zObj, i) => {
    aOffset.push(z.length);
    z += `${i + 1} 0 obj\n${zObj}\nendobj\n`;
  });
  const iXref = z.length;
  z += `xref\n0 ${aObj.length + 1}\n0000000000 65535 f \n`;
  for (const n of aOffset) z += `${String(n).padStart(10, '0')} 00000 n \n`;
  z += `trailer\n<< /Size ${aObj.length + 1} /Root 1 0 R >>\nstartxref\n${iXref}\n%%EOF\n`;
  return Buffer.from(z, 'latin1');
}

// ---- pages and users ------------------------------------------------------

// Problems a page shows outside its markup: CSP refusals, script errors,
// sub-resources that failed. Collected per page, read and cleared by
// takeProblems().
const mProblems = new WeakMap();

function watch(page) {
  const a = [];
  mProblems.set(page, a);
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
      a.push(`CSP: ${msg.text()}`);
    }
  });
  page.on('pageerror', (e) => a.push(`error de script: ${e.message}`));
  page.on('response', (resp) => {
    const req = resp.request();
    if (req.resourceType() !== 'document' && resp.status() >= 400) {
      a.push(`recurso ${req.resourceType()} ${new URL(resp.url()).pathname}: HTTP ${resp.status()}`);
    }
  });
  page.on('requestfailed', (req) => {
    a.push(`recurso ${req.resourceType()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  return page;
}

function takeProblems(page) {
  const a = mProblems.get(page) || [];
  return a.splice(0, a.length);
}

async function newContext(browser) {
  const ctx = await browser.newContext({
    baseURL: BASE,
    locale: 'es-CO',
    viewport: { width: 1280, height: 900 },
  });
  const page = watch(await ctx.newPage());
  return { ctx, page };
}

// The text of the status notice(s) and alerts on the page, for messages.
async function notices(page) {
  const a = await page.locator('[role=status], [role=alert]').allTextContents();
  return a.map((z) => z.replace(/\s+/g, ' ').trim()).filter((z) => z);
}

// Sign in as zLogin in a new context; returns { ctx, page } on /panel (or
// wherever the login sent it).
async function signIn(browser, zLogin) {
  const s = await newContext(browser);
  const { page } = s;
  await page.goto('/entrar');
  await page.locator('[name=usuario]').fill(zLogin);
  await page.locator('[name=clave]').fill(PASSWORD);
  await page
    .locator('form:has([name=clave])')
    .locator(SUBMIT)
    .first()
    .click();
  await page.waitForLoadState('load');
  const aCookie = await s.ctx.cookies();
  if (!aCookie.some((c) => c.name === 'participa_sesion')) {
    const zWhere = new URL(page.url()).pathname;
    throw new Error(
      `«${zLogin}» no quedó con sesión (página ${zWhere}; avisos: ${(await notices(page)).join(' | ') || 'ninguno'})`,
    );
  }
  takeProblems(page);
  return s;
}

// Describe the controls of a form, in document order.
async function formControls(form) {
  return form.evaluate((f) =>
    [...f.querySelectorAll('input, select, textarea, button')]
      .filter((e) => e.type !== 'hidden')
      .map((e) => ({
        tag: e.tagName,
        type: (e.getAttribute('type') || '').toLowerCase(),
        name: e.name || '',
        inputMode: e.getAttribute('inputmode') || '',
        value: e.value,
      })),
  );
}

// The control where the progress value is typed: a number input, or a text
// input for decimals (inputmode) or named for the value.
function isValueControl(c) {
  if (c.tag !== 'INPUT') return false;
  if (c.type === 'number') return true;
  if (c.type === '' || c.type === 'text') {
    return /decimal|numeric/.test(c.inputMode) || /valor|logro|cantidad|avance/i.test(c.name);
  }
  return false;
}

// Go through the page with Tab alone and fill the form zFormSel on the way:
// type into the value field and the note, press Space on the file input,
// Enter on the submit button. Returns { bSent, aPath } (the Tab stops met).
async function keyboardFill(page, zFormSel, zNote) {
  const aDone = new Set();
  const aPath = [];
  let bSent = false;
  for (let i = 0; i < 150 && !bSent; i++) {
    await page.keyboard.press('Tab');
    const c = await page.evaluate((zSel) => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      return {
        tag: e.tagName,
        type: (e.getAttribute('type') || '').toLowerCase(),
        name: e.name || '',
        inputMode: e.getAttribute('inputmode') || '',
        inForm: !!e.closest(zSel),
        id: e.id,
      };
    }, zFormSel);
    if (!c) continue;
    aPath.push(c.name || c.id || c.tag);
    if (!c.inForm || aDone.has(c.name + c.id)) continue;
    aDone.add(c.name + c.id);
    if (c.tag === 'INPUT' && c.type === 'file') {
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.activeElement?.files?.length > 0, null, { timeout: 5000 });
    } else if (c.tag === 'TEXTAREA') {
      await page.keyboard.type(zNote);
    } else if (isValueControl(c)) {
      await page.keyboard.type('1');
    } else if (c.tag === 'BUTTON' || c.type === 'submit') {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      bSent = true;
    }
  }
  return { bSent, aPath };
}

// Fill the public PQRSD form with Tab and the keys a person would use: Space
// and the arrow keys in the radio groups (type zType, "anonima"), typing in
// the subject and text, Space on the file input, Enter on the submit button.
// Returns { bSent, aPath } (the Tab stops met).
async function keyboardPqrsd(page, zType, zSubject, zText) {
  const mWant = { tipo: zType, identificacion: 'anonima' };
  const aDone = new Set();
  const aPath = [];
  let bSent = false;
  for (let i = 0; i < 200 && !bSent; i++) {
    await page.keyboard.press('Tab');
    const c = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      return {
        tag: e.tagName,
        type: (e.getAttribute('type') || '').toLowerCase(),
        name: e.name || '',
        inForm: !!e.closest('form[action="/pqrsd"]'),
        id: e.id,
      };
    });
    if (!c) continue;
    aPath.push(c.name || c.id || c.tag);
    if (!c.inForm || aDone.has(c.name)) continue;
    aDone.add(c.name);
    if (c.type === 'radio' && mWant[c.name]) {
      // Space checks the focused radio; the arrows move the choice
      await page.keyboard.press('Space');
      for (let k = 0; k < 12; k++) {
        if ((await page.evaluate(() => document.activeElement.value)) === mWant[c.name]) break;
        await page.keyboard.press('ArrowDown');
      }
      const bOk = await page.evaluate(
        (z) => document.activeElement.checked && document.activeElement.value === z,
        mWant[c.name],
      );
      if (!bOk) throw new Error(`no se pudo elegir «${mWant[c.name]}» en «${c.name}» con el teclado`);
    } else if (c.name === 'asunto') {
      await page.keyboard.type(zSubject);
    } else if (c.tag === 'TEXTAREA' && c.name === 'texto') {
      await page.keyboard.type(zText);
    } else if (c.tag === 'INPUT' && c.type === 'file') {
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.activeElement?.files?.length > 0, null, { timeout: 5000 });
    } else if (c.tag === 'BUTTON' && c.type === 'submit') {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      bSent = true;
    }
  }
  return { bSent, aPath };
}

// ---- the overview's office table -----------------------------------------

// The text of the "Avance" cell in zOffice's row of the overview's table
// whose caption speaks of offices (dependencias).
async function overviewOfficeFigure(page, zOffice) {
  const resp = await page.goto('/');
  expect(resp.status() === 200, `GET / respondió ${resp.status()}`);
  const got = await page.evaluate((zOff) => {
    const norm = (z) => z.replace(/\s+/g, ' ').trim();
    const aTable = [...document.querySelectorAll('table')];
    const t = aTable.find((e) => /dependencia/i.test(e.querySelector('caption')?.textContent || ''));
    if (!t) {
      return { err: `ninguna tabla con <caption> de dependencias (tablas: ${aTable.length})` };
    }
    const aHeadRow = t.querySelectorAll('thead tr');
    const headRow = aHeadRow.length ? aHeadRow[aHeadRow.length - 1] : t.querySelector('tr');
    const aHead = [...headRow.children].map((c) => norm(c.textContent));
    const iCol = aHead.findIndex((h) => /^avance/i.test(h));
    if (iCol < 0) return { err: `la tabla no tiene columna «Avance» (columnas: ${aHead.join(' | ')})` };
    for (const tr of t.querySelectorAll('tbody tr')) {
      const aCell = [...tr.children].map((c) => norm(c.textContent));
      if (aCell[0] === zOff) return { text: aCell[iCol] };
    }
    return { err: `la tabla de dependencias no tiene la fila «${zOff}»` };
  }, zOffice);
  if (got.err) throw new Error(got.err);
  return got.text;
}

// ---- axe -----------------------------------------------------------------

const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
const aAxeReport = [];
const aEvidenceSeen = []; // hrefs of evidence links met on the way

// Run axe on the page as it is (injected through the DevTools protocol, so
// that the page's own CSP stays in force and still refuses inline code).
async function axeRun(page) {
  const bLoaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!bLoaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (aTag) => {
      const res = await window.axe.run(document, {
        runOnly: { type: 'tag', values: aTag },
        resultTypes: ['violations', 'incomplete'],
      });
      const brief = (v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html.slice(0, 200),
          summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
        })),
      });
      return { violations: res.violations.map(brief), incomplete: res.incomplete.map(brief) };
    },
    WCAG_TAGS,
  );
}

function slug(zRole, zPath) {
  const z = zPath === '/' ? 'inicio' : zPath.replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '_');
  return `${zRole}_${z}`;
}

// Check the page currently shown: axe, problems, screenshot. zName names
// the check; iWant is the status (or array of statuses) the page should
// have answered.
async function auditShown(page, zName, zRole, zPath, iStatus, iWant) {
  await page.screenshot({ path: path.join(ART, `${slug(zRole, zPath)}.png`), fullPage: true });
  const res = await axeRun(page);
  aAxeReport.push({ role: zRole, path: zPath, status: iStatus, ...res });
  const aWhy = [];
  const aWant = [].concat(iWant);
  if (!aWant.includes(iStatus)) aWhy.push(`HTTP ${iStatus} (se esperaba ${aWant.join(' o ')})`);
  for (const v of res.violations) {
    const aTarget = v.nodes.slice(0, 6).map((n) => n.target);
    let z = `${v.id} [${v.impact}] ${v.help}: ${v.nodes.length} elemento(s): ${aTarget.join(' ; ')}`;
    if (v.nodes[0]?.summary) z += ` — ${v.nodes[0].summary.slice(0, 300)}`;
    aWhy.push(z);
  }
  aWhy.push(...takeProblems(page));
  if (aWhy.length) fail(zName, `\n    ${aWhy.join('\n    ')}`);
  else pass(zName);
}

// Visit zPath and audit it. Non-HTML answers (CSV, JSON, files, which the
// browser would download) are fetched with the context's cookies and only
// need the right status.
async function audit(page, zRole, zPath) {
  const zName = `axe ${zRole} GET ${zPath}`;
  // no logo is set in the sample database: 404 is the right answer there
  const aWant = zPath === '/logo' ? [200, 404] : [200];
  try {
    const probe = await page.request.get(zPath, { maxRedirects: 0 });
    const zType = probe.headers()['content-type'] || '';
    if (!zType.startsWith('text/html')) {
      const iStatus = probe.status();
      const zShort = `${zRole} GET ${zPath}`;
      if (aWant.includes(iStatus)) pass(`${zShort} (HTTP ${iStatus} ${zType.split(';')[0]})`);
      else fail(zShort, `HTTP ${iStatus} (${zType})`);
      return;
    }
    const resp = await page.goto(zPath);
    await auditShown(page, zName, zRole, zPath, resp.status(), aWant);
  } catch (e) {
    fail(zName, String(e.message).split('\n')[0]);
  }
}

// The GET routes the modules declare (ROUTES: their src/*/*_module.c files,
// separated by ":"): [{ pattern, caps }] where caps is the capability string
// ("" = public).
function getRoutes() {
  const z = ROUTES.split(':').filter((f) => f).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const re = /\{\s*"GET"\s*,\s*"([^"]+)"\s*,\s*\w+\s*,\s*[^,]+,\s*(NULL|"([a-z]*)")/g;
  const a = [];
  for (const m of z.matchAll(re)) a.push({ pattern: m[1], caps: m[3] || '' });
  if (a.length === 0) throw new Error(`no se encontraron rutas GET en ${ROUTES}`);
  return a;
}

// ---- the flows -----------------------------------------------------------

async function main() {
  fs.mkdirSync(ART, { recursive: true });
  const zPdf = path.join(WORK, 'evidencia-prueba.pdf');
  fs.writeFileSync(zPdf, tinyPdf());

  const before = reportJson();
  const aMine = before.actividades.filter((a) => a.dependencias.includes(OFFICE) && !a.a_revisar);
  if (aMine.length < 2) throw new Error(`la dependencia «${OFFICE}» necesita 2 actividades sin revisar`);
  const itemA = aMine[0]; // reported with the mouse, then verified
  const itemB = aMine[1]; // reported with the keyboard, left pending
  const rValueA = itemA.meta; // the whole target: 100 %
  const zBefore = fmtPercent(officeRow(before, OFFICE).avance);
  const zAfter = fmtPercent(officeProgressAfter(before, OFFICE, itemA.item, rValueA));

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const pub = await newContext(browser);
  const aSession = {};
  const bSignedIn = {};
  for (const zRole of Object.keys(ROLES)) {
    bSignedIn[zRole] = await check(`login ${zRole}`, async () => {
      aSession[zRole] = await signIn(browser, zRole);
    });
  }

  // c (before): the public figure the flow is going to change
  const bBefore = await check(`c overview before: ${OFFICE} ${zBefore}`, async () => {
    const z = await overviewOfficeFigure(pub.page, OFFICE);
    expect(z === zBefore, `«${OFFICE}» muestra «${z}», se esperaba «${zBefore}»`);
  });

  // a: report with the mouse, evidence attached
  const bReported =
    bSignedIn.responsable &&
    (await check(`a report item ${itemA.item} with evidence`, async () => {
      const { page } = aSession.responsable;
      const resp = await page.goto('/reportar');
      expect(resp.status() === 200, `GET /reportar respondió ${resp.status()}`);
      await page.locator(`a[href$="/reportar/${itemA.item}"]`).first().click();
      await page.waitForURL(new RegExp(`/reportar/${itemA.item}$`));
      const form = page.locator(`form[action$="/reportar/${itemA.item}"]`);
      expect((await form.count()) === 1, `/reportar/${itemA.item} no tiene un formulario que envíe a sí mismo`);
      const aCtl = await formControls(form);
      const iValue = aCtl.findIndex(isValueControl);
      expect(iValue >= 0, `sin campo para el valor (controles: ${JSON.stringify(aCtl)})`);
      await form.locator(`[name="${aCtl[iValue].name}"]`).fill(String(rValueA));
      await form.locator('textarea').first().fill(NOTE_A);
      await form.locator('input[type=file]').first().setInputFiles(zPdf);
      for (const c of aCtl) {
        if (c.tag === 'SELECT' && c.value === '') {
          const zOpt = await form
            .locator(`select[name="${c.name}"] option`)
            .evaluateAll((a) => a.map((o) => o.value).find((v) => v !== ''));
          await form.locator(`select[name="${c.name}"]`).selectOption(zOpt);
        }
      }
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      const aNote = await notices(page);
      expect(
        aNote.some((z) => /Avance reportado/.test(z)),
        `sin el aviso «Avance reportado» (página ${new URL(page.url()).pathname}; avisos: ${aNote.join(' | ') || 'ninguno'})`,
      );
    }));

  // b: control interno verifies it
  const bVerified =
    bReported &&
    bSignedIn.control &&
    (await check(`b verify item ${itemA.item}`, async () => {
      const { page } = aSession.control;
      const resp = await page.goto('/verificacion');
      expect(resp.status() === 200, `GET /verificacion respondió ${resp.status()}`);
      // the decision form nearest to the text of our note
      const zAction = await page.evaluate((zNote) => {
        let zBest = null;
        let nBest = Infinity;
        for (const f of document.querySelectorAll('form[action]')) {
          if (!/\/verificacion\/\d+$/.test(f.getAttribute('action'))) continue;
          for (let e = f.parentElement; e; e = e.parentElement) {
            if (e.textContent.includes(zNote)) {
              if (e.textContent.length < nBest) {
                nBest = e.textContent.length;
                zBest = f.getAttribute('action');
              }
              break;
            }
          }
        }
        return zBest;
      }, NOTE_A);
      expect(zAction, `la cola no muestra el reporte con la nota «${NOTE_A}» junto a un formulario de decisión`);
      for (const zHref of await page.locator('a[href*="/evidencia/"]').evaluateAll((a) => a.map((e) => e.getAttribute('href')))) {
        aEvidenceSeen.push(zHref);
      }
      // the decision is a choice (radio "Verificar…") and a submit button,
      // or a button of its own
      const form = page.locator(`form[action="${zAction}"]`);
      const radio = form.getByRole('radio', { name: /^verificar/i });
      if ((await radio.count()) > 0) {
        await radio.first().check();
        await form.locator(SUBMIT).last().click();
      } else {
        await form.getByRole('button', { name: /verific/i }).first().click();
      }
      await page.waitForLoadState('load');
      const aNote = await notices(page);
      expect(
        aNote.some((z) => /verificad/i.test(z)),
        `sin aviso de verificación (página ${new URL(page.url()).pathname}; avisos: ${aNote.join(' | ') || 'ninguno'})`,
      );
      const after = officeRow(reportJson(), OFFICE).avance;
      expect(
        fmtPercent(after) === zAfter,
        `el informe de la CLI da ${fmtPercent(after)} para «${OFFICE}», se esperaba ${zAfter}`,
      );
    }));

  // c (after): the public overview shows the new figure
  if (bVerified && bBefore) {
    await check(`c overview after: ${OFFICE} ${zAfter}`, async () => {
      const z = await overviewOfficeFigure(pub.page, OFFICE);
      expect(z === zAfter, `«${OFFICE}» muestra «${z}», se esperaba «${zAfter}»`);
    });
    // traceable: the public activity page links the evidence behind it
    await check(`c activity ${itemA.item} links its verified evidence`, async () => {
      const { page } = pub;
      const resp = await page.goto(`/actividad/${itemA.item}`);
      expect(resp.status() === 200, `GET /actividad/${itemA.item} respondió ${resp.status()}`);
      const n = await page.locator('a[href*="/evidencia/"]').count();
      expect(n > 0, `/actividad/${itemA.item} no enlaza la evidencia del avance verificado`);
    });
  } else {
    fail(`c overview after: ${OFFICE} ${zAfter}`, 'no se pudo probar: falló a, b o la cifra inicial');
  }

  // d: the keyboard alone
  if (bSignedIn.responsable) {
    await check('d skip link is the first Tab stop', async () => {
      const { page } = aSession.responsable;
      await page.goto(`/reportar/${itemB.item}`);
      await page.keyboard.press('Tab');
      const zHref = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      expect(zHref === '#contenido', `el primer Tab lleva a ${zHref ?? 'ningún enlace'}, no a «#contenido»`);
    });
    await check(`d report item ${itemB.item} by keyboard only`, async () => {
      const { page } = aSession.responsable;
      // the system's file dialog, answered as a person would with the keyboard
      // there; set up before the page so that the dialog is always caught
      const xChooser = (chooser) => chooser.setFiles(zPdf);
      page.on('filechooser', xChooser);
      await page.goto(`/reportar/${itemB.item}`);
      let r;
      try {
        r = await keyboardFill(page, `form[action$="/reportar/${itemB.item}"]`, NOTE_B);
      } finally {
        page.off('filechooser', xChooser);
      }
      const { bSent, aPath } = r;
      expect(bSent, `el botón de enviar no se alcanzó con Tab (recorrido: ${aPath.join(' → ')})`);
      const aNote = await notices(page);
      expect(
        aNote.some((z) => /Avance reportado/.test(z)),
        `sin el aviso «Avance reportado» (avisos: ${aNote.join(' | ') || 'ninguno'})`,
      );
    });
  } else {
    fail(`d report item ${itemB.item} by keyboard only`, 'no se pudo probar: falló la entrada del responsable');
  }

  // e, f: every page, as every role that may see it
  const mSample = { item: String(itemA.item) };
  // sample values found on the pages: an evidence id, a static file
  const zEvidence = await pub.page
    .goto(`/actividad/${itemA.item}`)
    .then(() => pub.page.locator('a[href*="/evidencia/"]').first().getAttribute('href', { timeout: 2000 }))
    .catch(() => null);
  const zEvidenceAny = zEvidence || aEvidenceSeen[0];
  if (zEvidenceAny) mSample.id = zEvidenceAny.split('/').pop();
  const zStatic = await pub.page
    .goto('/entrar')
    .then(() => pub.page.locator('link[href*="/static/"]').first().getAttribute('href', { timeout: 2000 }))
    .catch(() => null);
  if (zStatic) mSample.file = zStatic.split('/').pop().split('?')[0];
  takeProblems(pub.page);

  // an open challenge (retos): planeación publishes it through its form
  // (its id is the sample for {reto}); the public sends two proposals;
  // planeación publishes the first from the moderation queue and leaves the
  // second pending, so that the queue is audited with a proposal in it
  const zProposalA = 'Zanjas de infiltración en el parque (prueba de navegador).';
  const zProposalB = 'Techos verdes en los colegios (prueba de navegador).';
  if (bSignedIn.planeacion) {
    await check('retos: a challenge published, proposals sent and moderated', async () => {
      const { page } = aSession.planeacion;
      await page.goto('/retos/nuevo');
      const form = page.locator('form[action="/retos/nuevo"]');
      await form.locator('[name=titulo]').fill('Calles que se inundan (prueba de navegador)');
      await form.locator('[name=descripcion]').fill('Las calles del barrio se inundan con cada aguacero.');
      await form.locator('[name=abre]').fill('2021-09-01');
      await form.locator('[name=cierra]').fill('2021-10-31');
      await form.locator('[name=dependencia]').selectOption({ label: OFFICE });
      await form.locator('[name=publicado]').check();
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      const m = /^\/retos\/(\d+)$/.exec(new URL(page.url()).pathname);
      expect(m, `tras crear el reto la página es ${page.url()}`);
      mSample.reto = m[1];
      const p = pub.page;
      for (const zText of [zProposalA, zProposalB]) {
        await p.goto(`/retos/${mSample.reto}`);
        const pf = p.locator(`form[action="/retos/${mSample.reto}"]`);
        await pf.locator('[name=texto]').fill(zText);
        await pf.locator(SUBMIT).last().click();
        await p.waitForLoadState('load');
        const aNote = await notices(p);
        expect(aNote.some((z) => /Propuesta recibida/.test(z)), `sin el aviso «Propuesta recibida» (avisos: ${aNote.join(' | ') || 'ninguno'})`);
      }
      await page.goto('/retos/moderacion');
      const mf = page.locator('article', { hasText: zProposalA }).locator('form:has([name=motivo])');
      await mf.getByRole('radio', { name: /^publicar/i }).check();
      await mf.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      await p.goto(`/retos/${mSample.reto}`);
      expect(await p.getByText(zProposalA).isVisible(), 'la propuesta publicada no se ve');
      expect((await p.getByText(zProposalB).count()) === 0, 'la propuesta pendiente se ve');
    });
    takeProblems(pub.page);
    // the proposal form with the server's errors (the browser's own checks off)
    if (mSample.reto) {
      const { page } = pub;
      await page.goto(`/retos/${mSample.reto}`);
      const pf = page.locator(`form[action="/retos/${mSample.reto}"]`);
      await pf.evaluate((f) => {
        f.noValidate = true;
      });
      await pf.locator('[name=nombre]').fill('Ana Pérez');
      await pf.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      const iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
      await auditShown(page, `axe publico POST /retos/${mSample.reto} (sin texto ni autorización)`, 'publico', `/retos/${mSample.reto}-error`, iStatus, 422);
    }
  }

  // g: PQRSD. A citizen files a suggestion with the keyboard alone (a small
  // PDF attached), gets the receipt (radicado and code) and checks its
  // status with them; planeación assigns it to the responsable's office, so
  // that every role that may see /pqrsd/bandeja/{radicado} is audited there.
  const zPqrsdSubject = 'Bancas a la sombra en el parque (prueba de navegador)';
  const zPqrsdText = 'Propongo instalar bancas a la sombra en el parque del barrio.';
  const bFiled = await check('g pqrsd: a suggestion filed by keyboard only, and its status', async () => {
    const { page } = pub;
    const xChooser = (chooser) => chooser.setFiles(zPdf);
    page.on('filechooser', xChooser);
    await page.goto('/pqrsd');
    let r;
    try {
      r = await keyboardPqrsd(page, 'sugerencia', zPqrsdSubject, zPqrsdText);
    } finally {
      page.off('filechooser', xChooser);
    }
    expect(r.bSent, `el botón de enviar no se alcanzó con Tab (recorrido: ${r.aPath.join(' → ')})`);
    const iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
    const aNote = await notices(page);
    expect(iStatus === 200, `POST /pqrsd respondió ${iStatus} (avisos: ${aNote.join(' | ') || 'ninguno'})`);
    const zRad = ((await page.locator('#radicado').textContent()) || '').trim();
    const zCode = ((await page.locator('#codigo-consulta').textContent()) || '').trim();
    expect(/^2021-PQRSD-\d{6}$/.test(zRad), `la constancia no muestra un radicado («${zRad}»)`);
    expect(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(zCode), `la constancia no muestra el código («${zCode}»)`);
    await auditShown(page, 'axe publico POST /pqrsd (constancia)', 'publico', '/pqrsd-constancia', iStatus, 200);
    mSample.radicado = zRad;
    mSample.archivo = 'solicitud';
    await page.goto('/pqrsd/consulta');
    const form = page.locator('form[action="/pqrsd/consulta"]');
    await form.locator('[name=radicado]').fill(zRad);
    await form.locator('[name=codigo]').fill(zCode.toLowerCase());
    await form.locator(SUBMIT).last().click();
    await page.waitForLoadState('load');
    const zState = ((await page.locator('#estado').textContent()) || '').trim();
    expect(zState === 'Radicada', `la consulta muestra el estado «${zState}», se esperaba «Radicada»`);
    expect((await page.getByText(zPqrsdSubject).count()) > 0, 'la consulta no muestra el asunto');
    await auditShown(page, 'axe publico POST /pqrsd/consulta (estado)', 'publico', '/pqrsd-consulta-estado', 200, 200);
  });
  if (bFiled && bSignedIn.planeacion) {
    await check('g pqrsd: planeación assigns it to the office', async () => {
      const { page } = aSession.planeacion;
      await page.goto('/pqrsd/bandeja');
      await page.locator(`a[href="/pqrsd/bandeja/${mSample.radicado}"]`).first().click();
      await page.waitForURL(new RegExp(`/pqrsd/bandeja/${mSample.radicado}$`));
      const form = page.locator('form:has(input[name=accion][value=asignar])');
      await form.locator('[name=dependencia]').selectOption({ label: OFFICE });
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      const aNote = await notices(page);
      expect(aNote.some((z) => /PQRSD asignada/.test(z)), `sin el aviso «PQRSD asignada» (avisos: ${aNote.join(' | ') || 'ninguno'})`);
    });
  }
  takeProblems(pub.page);
  {
    // the public form with the server's errors (the browser's own checks off)
    const { page } = pub;
    await page.goto('/pqrsd');
    const form = page.locator('form[action="/pqrsd"]');
    await form.evaluate((f) => {
      f.noValidate = true;
    });
    await form.locator(SUBMIT).last().click();
    await page.waitForLoadState('load');
    const iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
    await auditShown(page, 'axe publico POST /pqrsd (formulario vacío)', 'publico', '/pqrsd-error', iStatus, 422);
  }

  // the checker itself: a control without a label and an inline style put
  // into a working page must be caught
  await check('axe and CSP watch catch planted faults', async () => {
    const { page } = pub;
    await page.goto('/entrar');
    takeProblems(page);
    await page.evaluate(() => {
      const d = document.createElement('div');
      d.innerHTML = '<input type="text" name="plantado"><p style="color: #777">plantado</p>';
      document.querySelector('main').append(d);
    });
    const res = await axeRun(page);
    await page.waitForTimeout(200);
    const aProblem = takeProblems(page);
    expect(
      res.violations.some((v) => v.id === 'label'),
      `axe no vio el campo sin etiqueta (violaciones: ${res.violations.map((v) => v.id).join(', ') || 'ninguna'})`,
    );
    expect(
      aProblem.some((z) => /^CSP/.test(z)),
      `la política CSP no rechazó el estilo en línea (problemas: ${aProblem.join(' | ') || 'ninguno'})`,
    );
  });

  for (const route of getRoutes()) {
    let bMissing = false;
    const zPath = route.pattern.replace(/\{([a-z0-9_]+)\}/g, (_, zParam) => {
      if (!(zParam in mSample)) bMissing = true;
      return mSample[zParam] ?? zParam;
    });
    if (bMissing) {
      fail(
        `GET ${route.pattern}`,
        `sin valor de ejemplo para el parámetro (evidencia enlazada en /actividad/${itemA.item}: ${zEvidence ?? 'no'}; hoja de estilo en /static/: ${zStatic ?? 'no'})`,
      );
      continue;
    }
    if (route.caps === '') {
      await audit(pub.page, 'publico', zPath);
      continue;
    }
    for (const [zRole, zCaps] of Object.entries(ROLES)) {
      if (![...route.caps].some((c) => zCaps.includes(c))) continue;
      if (!bSignedIn[zRole]) {
        fail(`axe ${zRole} GET ${zPath}`, `no se pudo probar: falló la entrada de ${zRole}`);
        continue;
      }
      await audit(aSession[zRole].page, zRole, zPath);
    }
  }

  // the public pages with each role's navigation
  for (const zRole of Object.keys(ROLES)) {
    if (bSignedIn[zRole]) await audit(aSession[zRole].page, zRole, '/');
  }

  // error pages and forms showing errors
  {
    const resp = await pub.page.goto('/no-existe');
    await auditShown(pub.page, 'axe publico GET /no-existe (404)', 'publico', '/no-existe', resp.status(), 404);
  }
  {
    const { page } = pub;
    await page.goto('/entrar');
    await page.locator('[name=usuario]').fill('nadie');
    await page.locator('[name=clave]').fill('no-es-la-clave');
    await page
      .locator('form:has([name=clave])')
      .locator(SUBMIT)
      .first()
      .click();
    await page.waitForLoadState('load');
    const iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
    await auditShown(page, 'axe publico POST /entrar (clave errada)', 'publico', '/entrar-error', iStatus, [401, 422]);
  }
  if (bSignedIn.responsable) {
    const { page } = aSession.responsable;
    await page.goto(`/reportar/${itemA.item}`);
    const form = page.locator(`form[action$="/reportar/${itemA.item}"]`);
    if ((await form.count()) === 1) {
      // past the browser's own checks of required fields, to the server's
      await form.evaluate((f) => {
        f.noValidate = true;
      });
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      const iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
      await auditShown(
        page,
        `axe responsable POST /reportar/${itemA.item} (formulario vacío)`,
        'responsable',
        `/reportar/${itemA.item}-error`,
        iStatus,
        422,
      );
    } else {
      fail(`axe responsable POST /reportar/${itemA.item} (formulario vacío)`, 'la página no tiene el formulario');
    }
  }

  // the calendar with an entity day (its remove button), then a refused day
  if (bSignedIn.admin) {
    const { page } = aSession.admin;
    const zName = 'axe admin POST /admin/calendario';
    await page.goto('/admin/calendario');
    const form = page.locator('form[action="/admin/calendario"]:has([name=motivo])');
    if ((await form.count()) === 1) {
      await form.locator('[name=fecha]').fill('12-noviembre-2021');
      await form.locator('[name=motivo]').fill('Cierre por inventario');
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      let iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
      await auditShown(page, `${zName} (día agregado)`, 'admin', '/admin/calendario-agregado', iStatus, 200);
      await form.locator('[name=fecha]').fill('2021-12-08');
      await form.locator('[name=motivo]').fill('Otro cierre');
      await form.locator(SUBMIT).last().click();
      await page.waitForLoadState('load');
      iStatus = (await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus)) ?? 0;
      await auditShown(page, `${zName} (festivo nacional)`, 'admin', '/admin/calendario-error', iStatus, 422);
      await page.locator('button', { hasText: 'Quitar el 12 de noviembre de 2021' }).click();
      await page.waitForLoadState('load');
      await check(`${zName} (día quitado)`, async () => {
        expect(await page.getByText('Día no hábil quitado.').isVisible(), 'no se ve el aviso');
      });
    } else {
      fail(zName, 'la página no tiene el formulario');
    }
  }

  fs.writeFileSync(path.join(ART, 'axe.json'), JSON.stringify(aAxeReport, null, 1));
  await browser.close();
}

try {
  await main();
} catch (e) {
  fail('flows', String(e && e.stack ? e.stack : e));
}
fs.writeFileSync(path.join(WORK, 'counts'), `${nPass} ${nFail}\n`);
