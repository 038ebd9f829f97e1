/** Okabe-Ito: eight colours told apart with every common colour-vision deficiency. */
export const okabeIto = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Record colours, in the order producers and keys are met (yellow last: it is pale on white). */
export const seriesColours = [okabeIto.blue, okabeIto.orange, okabeIto.green, okabeIto.purple, okabeIto.skyBlue, okabeIto.vermillion, okabeIto.yellow, '#7f7f7f'];

export const markColours = {
  fault: okabeIto.orange,
  election: okabeIto.blue,
  isr: okabeIto.skyBlue,
  rebalance: okabeIto.purple,
  loss: okabeIto.vermillion,
  expiry: '#555555',
  truncation: okabeIto.yellow,
  rejection: okabeIto.black,
} as const;

export const statusColours = {
  up: okabeIto.green,
  crashed: okabeIto.vermillion,
  paused: okabeIto.orange,
  'not-started': '#9a9a9a',
} as const;

export const apiColours: Record<string, string> = {
  produce: okabeIto.blue,
  fetch: okabeIto.green,
  heartbeat: okabeIto.purple,
  group: okabeIto.skyBlue,
  controller: okabeIto.orange,
  zk: '#555555',
  other: '#999999',
};

/** A stable colour for a name: producers by their number, keys by a hash. */
export function colourFor(name: string | null): string {
  if (name === null) return '#bbbbbb';
  const n = /(\d+)$/.exec(name);
  if (n && /^producer/.test(name)) return seriesColours[(Number(n[1]) - 1 + seriesColours.length) % seriesColours.length];
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return seriesColours[Math.abs(h) % seriesColours.length];
}

/** Black or white text, whichever reads on the colour. */
export function textOn(colour: string): string {
  const c = colour.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(c.slice(i, i + 2), 16));
  return r * 0.299 + g * 0.587 + b * 0.114 > 150 ? '#000' : '#fff';
}

/**
 * `colour` as it shows at `alpha` opacity over white: an opaque colour that looks like a faded one.
 * Painting it costs a plain fill, where CSS opacity costs an offscreen layer per element.
 */
export function fadedOnWhite(colour: string, alpha: number): string {
  // Called for every cell above the HW on every view: a handful of colours, so remembered.
  const key = `${colour}@${alpha}`;
  const known = faded.get(key);
  if (known) return known;
  const c = colour.replace('#', '');
  const full = c.length === 3 ? [...c].map((x) => x + x).join('') : c;
  const out = `#${[0, 2, 4].map((i) => Math.round(parseInt(full.slice(i, i + 2), 16) * alpha + 255 * (1 - alpha)).toString(16).padStart(2, '0')).join('')}`;
  faded.set(key, out);
  return out;
}
const faded = new Map<string, string>();
