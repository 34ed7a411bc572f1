/** BiblePage is the story bible: characters, relationships, world entries, synopsis and style guide. */
export function BiblePage() {
  return <h2>Story bible</h2>;
}
