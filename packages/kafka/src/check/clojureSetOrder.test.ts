import { describe, expect, it } from 'vitest';
import { clojureSetOrder, clojureStringHash } from './clojureSetOrder';

// Expected values printed by Clojure 1.11.1: (hash s), (first #{...}) and (seq (into #{} ...)).
describe("Clojure's hash-set order of strings", () => {
  it('hashes strings as (hash s) does', () => {
    expect(['producer-1:290', 'producer-1:301', 'a', '', 'p:0', 'producer-2:12345', 'é∂ƒ'].map(clojureStringHash))
      .toEqual([-819648933, -96147506, 1455541201, 0, 236983104, -193030480, 2089468205]);
  });

  it('iterates a set as a PersistentHashSet does', () => {
    expect(clojureSetOrder(['producer-1:290', 'producer-1:301'])[0]).toBe('producer-1:301');
    expect(clojureSetOrder(['producer-1:299', 'producer-1:312'])[0]).toBe('producer-1:299');
    expect(clojureSetOrder(Array.from({ length: 20 }, (_, i) => `producer-1:${i}`)).map((v) => Number(v.slice(11))))
      .toEqual([1, 5, 0, 12, 9, 16, 14, 3, 15, 13, 6, 7, 4, 11, 17, 2, 18, 10, 19, 8]);
  });
});
