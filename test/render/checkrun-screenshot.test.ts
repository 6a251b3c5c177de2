// The check run's summary rendered as GitHub renders Markdown (GFM with raw <details>), in headless
// Chromium at a laptop's viewport: what a reviewer sees on the first screen at 10 and 500 findings.
// Screenshots land in $LBGUARD_SCREENSHOTS (default: the system temp folder) for a person to look at.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCheckRun } from '../../src/render/checkrun.ts';
import { CHROMIUM, openPage, type Page } from './browser.ts';
import { sampleRun } from './checkrun-sample.ts';

// Close to GitHub's check run page: its font stack, 14px text, bordered tables, content ~950px wide.
const CSS = `body{font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;margin:0;padding:16px 24px;max-width:950px;color:#1f2328}
table{border-collapse:collapse;display:block;overflow:auto;max-width:100%}td,th{border:1px solid #d1d9e0;padding:6px 13px}
code{font:12px ui-monospace,monospace;background:#eff1f3;padding:.2em .4em;border-radius:6px}h2{border-bottom:1px solid #d1d9e0}
a{color:#0969da;text-decoration:none}`;

const OUT = process.env.LBGUARD_SCREENSHOTS ?? join(tmpdir(), 'lbguard-screenshots');
const pages: Page[] = [];
afterAll(() => {
  for (const p of pages) p.close();
});

async function show(findings: number, existing: number, pools: number): Promise<Page> {
  const { summary } = renderCheckRun(sampleRun(findings, existing, pools));
  const html = `<!doctype html><meta charset="utf-8"><style>${CSS}</style>${await marked.parse(summary, { gfm: true })}`;
  const page = await openPage(html);
  pages.push(page);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot(join(OUT, `checkrun-${findings}.png`));
  return page;
}

type Layout = {
  overflow: boolean;
  firstGroupTop: number;
  firstGroupText: string;
  openDetails: number;
  existingVisible: boolean;
  headings: string[];
};

const LAYOUT = `(() => {
  const h4 = [...document.querySelectorAll('h4')];
  // checkVisibility: a closed <details> hides its content by content-visibility, not by display.
  const visible = (el) => el.checkVisibility();
  const details = [...document.querySelectorAll('details')];
  const old = details.find((d) => d.querySelector('summary').textContent.startsWith('Pre-existing'));
  return {
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    firstGroupTop: h4[0] ? h4[0].getBoundingClientRect().top : -1,
    firstGroupText: h4[0] ? h4[0].textContent : '',
    openDetails: details.filter((d) => d.open).length,
    existingVisible: old ? [...old.querySelectorAll('li')].some(visible) : false,
    headings: h4.filter(visible).map((h) => h.textContent),
  };
})()`;

describe.skipIf(!CHROMIUM && !process.env.CI)('check run summary in a browser', () => {
  it.each([
    [10, 3, 4],
    [500, 169, 18],
  ])(
    'at %i findings: the first error group is on the first screen, old findings folded, nothing wider than the page',
    async (n, existing, pools) => {
      // Act
      const page = await show(n, existing, pools);
      const layout = await page.evaluate<Layout>(LAYOUT);

      // Assert
      expect(layout.overflow).toBe(false);
      expect(layout.firstGroupTop).toBeGreaterThan(0);
      expect(layout.firstGroupTop).toBeLessThan(900);
      expect(layout.firstGroupText).toMatch(/^[a-z-]+ · error · \d+/);
      expect(layout.openDetails).toBe(0);
      expect(layout.existingVisible).toBe(false);
      // Errors, then warnings, then notices, among the groups a reader can see.
      const severities = layout.headings.map((h) => h.split(' · ')[1]);
      expect(severities).toEqual(
        [...severities].sort(
          (a, b) => ['error', 'warning', 'notice'].indexOf(a!) - ['error', 'warning', 'notice'].indexOf(b!),
        ),
      );
    },
    120_000,
  );

  it('keeps the pool table verdict column in view when the table is unfolded', async () => {
    // Arrange
    const page = await show(500, 169, 18);

    // Act
    const right = await page.evaluate<number>(`(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
      const th = [...document.querySelectorAll('th')].find((t) => t.textContent === 'Verdict');
      return th.getBoundingClientRect().right;
    })()`);

    // Assert
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(1000);
  }, 120_000);
});
