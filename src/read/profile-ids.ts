// The profile names, apart from profiles.ts so that the declarations relance loads at
// every start stay light (issue 17).

/** The software profiles `--profile` names. */
export const PROFILE_IDS = ['sage100', 'sage50', 'cegid', 'ebp', 'generic'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];
