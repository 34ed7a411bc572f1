import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useApi } from "../auth/AuthContext";

/** SceneLinks lists a chapter's scenes, each opening in the editor; the current one is marked. */
export function SceneLinks({ storyId, chapterId, current }: { storyId: string; chapterId: string; current?: string }) {
  const { client } = useApi();
  const scenes = useQuery({
    queryKey: ["chapters", chapterId, "scenes"],
    queryFn: ({ signal }) => unwrap(client.GET("/api/chapters/{id}/scenes", { params: { path: { id: chapterId } }, signal })),
  });
  if (!scenes.data || scenes.data.length === 0) return null;
  return (
    <nav className="scene-links" aria-label="Scenes of this chapter">
      <span>Scenes:</span>
      <ol>
        {scenes.data.map((s) => (
          <li key={s.id}>
            <Link to={`/stories/${storyId}/scenes/${s.id}`} aria-current={s.id === current ? "page" : undefined}>
              {s.scene_number}. {s.title || "Untitled scene"}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
