import { describe, expect, it } from 'vitest';
import { placeSelectionToolbar, type Box } from '../../../renderer/src/annotations/SelectionToolbar';

const viewport = { width: 1366, height: 768 };
/** The reader's page area: under its toolbar, between its side panes. */
const area: Box = { left: 200, top: 100, right: 1100, bottom: 768 };
const size = { width: 420, height: 40 };
const box = (left: number, top: number, width: number, height: number): Box => ({
  left,
  top,
  right: left + width,
  bottom: top + height,
});

/** The gap between the toolbar and the selection, as the end-to-end test measures it. */
function distance(place: { left: number; top: number }, anchor: Box): number {
  const dx = Math.max(0, place.left - anchor.right, anchor.left - (place.left + size.width));
  const dy = Math.max(0, place.top - anchor.bottom, anchor.top - (place.top + size.height));
  return Math.hypot(dx, dy);
}

/** Wholly inside `bounds`, at least 8 px from each edge. */
function expectInside(place: { left: number; top: number }, bounds: Box) {
  expect(place.left).toBeGreaterThanOrEqual(bounds.left + 8);
  expect(place.top).toBeGreaterThanOrEqual(bounds.top + 8);
  expect(place.left + size.width).toBeLessThanOrEqual(bounds.right - 8);
  expect(place.top + size.height).toBeLessThanOrEqual(bounds.bottom - 8);
}

describe('placeSelectionToolbar', () => {
  it('puts the toolbar just below the selection, at its left edge, when there is room', () => {
    const anchor = box(300, 300, 200, 18);
    expect(placeSelectionToolbar(anchor, size, area, viewport)).toEqual({ left: 300, top: 326 });
  });

  it('puts it above a selection near the bottom of the page area', () => {
    const anchor = box(300, 730, 200, 18);
    const place = placeSelectionToolbar(anchor, size, area, viewport);
    expect(place).toEqual({ left: 300, top: 730 - 8 - 40 });
    expectInside(place, area);
  });

  it('keeps it inside the page area near its right edge, still beside the selection', () => {
    const anchor = box(1050, 300, 40, 18);
    const place = placeSelectionToolbar(anchor, size, area, viewport);
    expect(place.left).toBe(1100 - 8 - 420);
    expectInside(place, area);
    expect(distance(place, anchor)).toBeLessThanOrEqual(80);
  });

  it('keeps it inside the page area near its left edge and top (a selection partly off the area)', () => {
    const anchor = box(150, 60, 300, 50);
    const place = placeSelectionToolbar(anchor, size, area, viewport);
    expect(place.left).toBe(208);
    expectInside(place, area);
    expect(distance(place, anchor)).toBeLessThanOrEqual(80);
  });

  it('keeps a selection scrolled out of view its toolbar at the edge of the page area', () => {
    expectInside(placeSelectionToolbar(box(300, -400, 200, 18), size, area, viewport), area);
    expectInside(placeSelectionToolbar(box(300, 2000, 200, 18), size, area, viewport), area);
    expectInside(placeSelectionToolbar(box(-900, 300, 200, 18), size, area, viewport), area);
    expectInside(placeSelectionToolbar(box(3000, 300, 200, 18), size, area, viewport), area);
  });

  it('cuts the page area to the window', () => {
    const wide: Box = { left: -50, top: -20, right: 2000, bottom: 1000 };
    const window: Box = { left: 0, top: 0, right: viewport.width, bottom: viewport.height };
    expectInside(placeSelectionToolbar(box(1300, 750, 60, 18), size, wide, viewport), window);
    expectInside(placeSelectionToolbar(box(-20, -10, 60, 18), size, wide, viewport), window);
  });

  it('uses the window on an axis where the page area is too small for the toolbar', () => {
    const narrow: Box = { left: 300, top: 100, right: 500, bottom: 768 };
    const place = placeSelectionToolbar(box(450, 300, 40, 18), size, narrow, viewport);
    expect(place.left).toBe(450);
    expect(place.left + size.width).toBeLessThanOrEqual(viewport.width - 8);
    const tiny = { width: 300, height: 200 };
    const inTiny = placeSelectionToolbar(box(250, 100, 40, 18), size, narrow, tiny);
    expect(inTiny.left).toBe(8);
  });

  it('is at most the gap away from a visible selection wherever it sits in the area', () => {
    for (let x = 200; x < 1100; x += 37)
      for (let y = 100; y < 750; y += 29) {
        const anchor = box(x, y, Math.min(120, 1100 - x), 18);
        const place = placeSelectionToolbar(anchor, size, area, viewport);
        expectInside(place, area);
        expect(distance(place, anchor)).toBeLessThanOrEqual(80);
      }
  });
});
