/**
 * Where narrated playback stops. The clock moves in milliseconds but a story moment is a step, and
 * several steps share a millisecond: a moment at the very instant playback resumed from still
 * stops it when its step comes after the step on screen, so two moments in one millisecond each
 * get their pause and caption.
 */
export interface StoryStop {
  time: number;
  step: number;
}

export function storyStopBetween<M extends StoryStop>(story: readonly M[], before: number, now: number, shownStep: number): M | undefined {
  return story.find((m) => m.time <= now && (m.time > before || (m.time === before && m.step > shownStep)));
}
