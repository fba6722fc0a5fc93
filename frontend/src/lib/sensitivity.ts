// The levels HubSpot marks properties with, as the record browser shows
// them: a sensitive value is shown like any other, but marked, so nobody
// copies it out without noticing what it is.

/** How a level is marked: a badge's word and its tooltip; null for none. */
export interface SensitivityMark {
  word: string;
  title: string;
  level: 'sensitive' | 'highly_sensitive';
}

const exportNote = 'Exports leave it out unless you tick “Include sensitive properties”.';

/** The mark of a property's level ("" and "non_sensitive": none). */
export function sensitivityMark(level: string | undefined): SensitivityMark | null {
  switch (level) {
    case 'sensitive':
      return { word: 'sensitive', level, title: `HubSpot marks this property sensitive. ${exportNote}` };
    case 'highly_sensitive':
      return {
        word: 'highly sensitive',
        level,
        title: `HubSpot marks this property highly sensitive (such as identity or financial details). ${exportNote}`,
      };
  }
  return null;
}
