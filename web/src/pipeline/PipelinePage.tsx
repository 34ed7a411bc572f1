/** PipelinePage starts and watches the long-form drafting pipeline. */
export function PipelinePage() {
  return <h2>Draft with AI</h2>;
}
