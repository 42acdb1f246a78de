import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  COMMENT_STYLE_IDS,
  COMMENT_STYLES,
  commentStyle,
  isCommentStyleId,
} from '../../../../lambdas/domain/feed/comment-styles.js';
import { projectRoot } from '../../../../local/paths.js';

/** WCAG 2.x relative luminance of a #RRGGBB colour. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2.x contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A light player's background, and a dark one's (Material's dark surface). */
const BACKGROUNDS = ['#FFFFFF', '#121212'];

describe('the comment style palette', () => {
  it('holds six styles, in the order rooms list them by default', () => {
    expect(COMMENT_STYLE_IDS).toEqual(['gold', 'sakura', 'sky', 'emerald', 'violet', 'sunset']);
  });

  it.each(Object.entries(COMMENT_STYLES))(
    'gives %s a hex colour, a CSS border style and a label in English and Japanese',
    (_id, style) => {
      expect(style.color).toMatch(/^#[0-9A-F]{6}$/);
      expect(['solid', 'double', 'dashed']).toContain(style.frame);
      expect(style.label.en).toMatch(/^\p{L}+$/u);
      expect(style.label.ja).toMatch(/^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u);
    },
  );

  it.each(Object.entries(COMMENT_STYLES))(
    'keeps %s at 4:1 or more against both a light and a dark background',
    (_id, style) => {
      for (const background of BACKGROUNDS) {
        expect(contrast(style.color, background), background).toBeGreaterThanOrEqual(4);
      }
    },
  );

  it('tells styles apart by colour: no two share one', () => {
    const colors = Object.values(COMMENT_STYLES).map((s) => s.color);

    expect(new Set(colors).size).toBe(colors.length);
  });

  it('checks the contrast it claims: a pale colour fails against white', () => {
    expect(contrast('#F5C518', '#FFFFFF')).toBeLessThan(4);
    expect(contrast('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
  });
});

describe('isCommentStyleId', () => {
  it.each(COMMENT_STYLE_IDS)('accepts %s', (id) => {
    expect(isCommentStyleId(id)).toBe(true);
  });

  it.each([
    ['an unknown id', 'rainbow'],
    ['another case', 'Gold'],
    ['the empty string', ''],
    ['an inherited key', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['a number', 1],
    ['null', null],
    ['an array holding an id', ['gold']],
    ['an object', { id: 'gold' }],
  ])('refuses %s', (_name, value) => {
    expect(isCommentStyleId(value)).toBe(false);
  });
});

describe('commentStyle', () => {
  it('finds the style an id names', () => {
    expect(commentStyle('sakura')).toBe(COMMENT_STYLES.sakura);
  });

  it.each([
    ['no id', undefined],
    ['an id this palette lacks', 'aurora'],
    ['an inherited key', 'hasOwnProperty'],
  ])('answers undefined for %s, so the comment is drawn plain', (_name, id) => {
    expect(commentStyle(id)).toBeUndefined();
  });
});

describe('the palette module as the client SDK bundles it', () => {
  it('imports nothing and stays under 1 KB minified and gzipped', async () => {
    // Act
    const result = await build({
      entryPoints: [`${projectRoot}/lambdas/domain/feed/comment-styles.ts`],
      absWorkingDir: projectRoot,
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      metafile: true,
    });

    // Assess
    expect(Object.keys(result.metafile.inputs)).toEqual(['lambdas/domain/feed/comment-styles.ts']);
    const bytes = gzipSync(result.outputFiles[0]!.contents).length;
    expect(bytes).toBeLessThan(1_024);
  });
});
