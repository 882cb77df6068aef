/**
 * A small seeded generator (mulberry32) for the games' `random`: numbers in [0, 1), the same
 * sequence for the same seed (docs/ARCHITECTURE.md, "pymasep: the engine's parts": an episode's
 * random numbers derive from the engine's seed and the episode number).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
