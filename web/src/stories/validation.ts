import type { FieldErrors } from "../auth/validation";

export interface StoryDraft {
  title: string;
  genre: string;
  premise: string;
}

/** validateStory returns the problems with a new story's title, genre and premise (limits as the API's). */
export function validateStory(d: StoryDraft): FieldErrors<keyof StoryDraft> {
  const errors: FieldErrors<keyof StoryDraft> = {};
  const title = d.title.trim();
  if (title === "") errors.title = "Give your story a title — you can change it later.";
  else if ([...title].length > 300) errors.title = "Keep the title under 300 characters.";
  if ([...d.genre.trim()].length > 100) errors.genre = "Keep the genre under 100 characters.";
  if ([...d.premise.trim()].length > 20000) errors.premise = "Keep the premise under 20,000 characters.";
  return errors;
}
