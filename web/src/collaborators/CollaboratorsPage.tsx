/** CollaboratorsPage: invite, change role, remove. */
export function CollaboratorsPage() {
  return <h2>Collaborators</h2>;
}
