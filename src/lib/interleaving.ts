/**
 * Team-draft interleaving (Radlinski, Kurup & Joachims, "How does clickthrough data reflect
 * retrieval quality?", 2008): the two rankers pick in turns, like captains choosing teams, a
 * coin deciding who picks first in each round; each shown result remembers the team that put
 * it there, and the ranker whose team gets more of the user's clicks wins the session.
 */

export type Team = 'a' | 'b';

export interface InterleavedList {
  ids: number[];
  /** The team of each shown result, same order as `ids`. */
  teams: Team[];
}

/** Merges two rankings into one list of at most `length` results; `random` is the coin. */
export function teamDraft(
  a: readonly number[],
  b: readonly number[],
  length: number,
  random: () => number,
): InterleavedList {
  const ids: number[] = [];
  const teams: Team[] = [];
  const shown = new Set<number>();
  const next = { a: 0, b: 0 };
  const rankings = { a, b };
  const picks = { a: 0, b: 0 };
  const exhausted = (team: Team) => {
    while (next[team] < rankings[team].length && shown.has(rankings[team][next[team]])) next[team]++;
    return next[team] >= rankings[team].length;
  };
  while (ids.length < length && !(exhausted('a') && exhausted('b'))) {
    // The team with fewer picks goes next; on a tie, the coin decides.
    let team: Team = picks.a < picks.b || (picks.a === picks.b && random() < 0.5) ? 'a' : 'b';
    if (exhausted(team)) team = team === 'a' ? 'b' : 'a';
    const id = rankings[team][next[team]];
    shown.add(id);
    ids.push(id);
    teams.push(team);
    picks[team]++;
  }
  return { ids, teams };
}

export type Outcome = 'a' | 'b' | 'tie';

/** Credit of one session: the team with more clicked results wins; equal counts (or no click) is a tie. */
export function credit(list: InterleavedList, clickedRanks: readonly number[]): Outcome {
  let a = 0;
  let b = 0;
  for (const rank of clickedRanks) {
    if (list.teams[rank - 1] === 'a') a++;
    else if (list.teams[rank - 1] === 'b') b++;
  }
  return a > b ? 'a' : b > a ? 'b' : 'tie';
}
