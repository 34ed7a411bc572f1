package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/generation"
)

// The authorization matrix of the Content service: every endpoint, sent by each
// kind of caller, against a private story and a published public one. The
// expected statuses follow internal/content/access.go: a caller below reader is
// told the story does not exist (404); a reader or collaborator whose role is too
// weak is told so (403), except where the target is itself hidden from readers
// (drafts, versions, the story bible), which readers are told does not exist;
// RequireAuth routes answer 401 to anonymous callers before any lookup.

// authzRole is a caller of the matrix.
type authzRole int

const (
	asOwner authzRole = iota
	asEditor
	asViewer
	asStranger // signed in, no role on the story
	asAnonymous
	authzRoleCount
)

func (r authzRole) String() string {
	return [...]string{"owner", "editor", "viewer", "stranger", "anonymous"}[r]
}

// authzKind is the kind of story a case runs against.
type authzKind int

const (
	authzPrivate authzKind = iota // private draft: only collaborators know it exists
	authzPublic                   // public and published: anyone reads its completed chapters
)

func (k authzKind) String() string { return [...]string{"private", "public"}[k] }

// authzWant is the status each role gets, by story kind then role.
type authzWant [2][authzRoleCount]int

// openToReaders is the answer to reads of what a published story shows everyone.
func openToReaders(ok int) authzWant {
	return authzWant{{ok, ok, ok, 404, 404}, {ok, ok, ok, ok, ok}}
}

// hiddenFromReaders is the answer to public routes that read drafts: readers are
// told they do not exist.
func hiddenFromReaders() authzWant {
	return authzWant{{200, 200, 200, 404, 404}, {200, 200, 200, 404, 404}}
}

// forCollaborators is the answer to reads for viewers and above; reader is what a
// signed-in reader of the public story gets (403 when they may know the target
// exists, 404 when it is hidden from readers).
func forCollaborators(reader int) authzWant {
	return authzWant{{200, 200, 200, 404, 401}, {200, 200, 200, reader, 401}}
}

// forEditors is the answer to writes by editors and owners.
func forEditors(ok, reader int) authzWant {
	return authzWant{{ok, ok, 403, 404, 401}, {ok, ok, 403, reader, 401}}
}

// forOwners is the answer to what only owners may do.
func forOwners(ok int) authzWant {
	return authzWant{{ok, 403, 403, 404, 401}, {ok, 403, 403, 403, 401}}
}

// onBothKinds is the same answer on both kinds of story.
func onBothKinds(w [authzRoleCount]int) authzWant { return authzWant{w, w} }

// authzCodes are the envelope codes of the refusals.
var authzCodes = map[int]string{401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT"}

// authzStory holds the ids a case's path and body may name.
type authzStory struct {
	ID, Title    string
	Chapter      string // completed
	Draft        string // draft chapter
	Scene        string // in Chapter
	DraftScene   string // in Draft
	Character    string
	Character2   string
	Relationship string // Character → Character2
	Entry        string
	Fact         string // about Character
	User         string // an account a collaborator case acts on
	ghost        bool   // every id is one that does not exist
}

// ghostly returns s with every id replaced by one that does not exist.
func (s authzStory) ghostly() authzStory {
	id := uuid.NewString
	return authzStory{ID: id(), Title: s.Title, Chapter: id(), Draft: id(), Scene: id(), DraftScene: id(),
		Character: id(), Character2: id(), Relationship: id(), Entry: id(), Fact: id(), User: id(), ghost: true}
}

// expand fills a path template; self is the caller's own user id.
func (s authzStory) expand(path, self string) string {
	return strings.NewReplacer("{story}", s.ID, "{title}", url.QueryEscape(s.Title), "{chapter}", s.Chapter,
		"{draft}", s.Draft, "{scene}", s.Scene, "{draftscene}", s.DraftScene, "{character}", s.Character,
		"{relationship}", s.Relationship, "{entry}", s.Entry, "{fact}", s.Fact, "{user}", s.User, "{self}", self,
	).Replace(path)
}

// authzEnv is the booted app, its callers and the two stories of the fixture.
type authzEnv struct {
	a       *testApp
	tokens  [authzRoleCount]string // anonymous has none
	users   [authzRoleCount]session
	target  session // an account collaborator cases invite, change and remove
	stories [2]authzStory
	seq     int
}

func newAuthzEnv(t *testing.T, a *testApp) *authzEnv {
	t.Helper()
	e := &authzEnv{a: a}
	for r := asOwner; r < asAnonymous; r++ {
		e.users[r] = a.register(t, "authz"+r.String())
		e.tokens[r] = e.users[r].AccessToken
	}
	e.target = a.register(t, "authztarget")
	e.stories[authzPrivate] = e.newStory(t, authzPrivate, true)
	e.stories[authzPublic] = e.newStory(t, authzPublic, true)
	return e
}

func (e *authzEnv) next() int { e.seq++; return e.seq }

// create POSTs body as the owner, expects 201 and returns the new record's id.
func (e *authzEnv) create(t *testing.T, path string, body any) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	e.a.do(t, req{Method: "POST", Path: path, Token: e.tokens[asOwner], Body: body}).expect(t, http.StatusCreated, "").into(t, &v)
	return v.ID
}

// newStory makes a story of the kind, with the editor and the viewer as
// collaborators and, when full, a completed and a draft chapter, a scene in each,
// two characters related to each other, a world entry and a fact.
func (e *authzEnv) newStory(t *testing.T, kind authzKind, full bool) authzStory {
	t.Helper()
	owner := e.tokens[asOwner]
	title := fmt.Sprintf("%s story %d", kind, e.next())
	s := authzStory{ID: e.a.createStory(t, owner, title).ID, Title: title}
	e.a.addCollaborator(t, owner, s.ID, e.users[asEditor].User.Username, "editor")
	e.a.addCollaborator(t, owner, s.ID, e.users[asViewer].User.Username, "viewer")
	if full {
		s.Chapter = e.newChapter(t, s)
		s.Draft = e.a.createChapter(t, owner, s.ID, "Draft", "Not ready for readers.").ID
		s.Scene = e.newScene(t, s.Chapter)
		s.DraftScene = e.newScene(t, s.Draft)
		s.Character = e.newCharacter(t, s)
		s.Character2 = e.newCharacter(t, s)
		s.Relationship = e.newRelationship(t, s)
		s.Entry = e.newEntry(t, s)
		s.Fact = e.newFact(t, s)
	}
	if kind == authzPublic {
		e.a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: owner,
			Body: map[string]any{"version": e.version(t, s, "/api/stories/"+s.ID), "visibility": "public"}}).expect(t, http.StatusOK, "")
		e.a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/publish", Token: owner}).expect(t, http.StatusOK, "")
	}
	return s
}

// newChapter adds a completed chapter with text (so it has a version 1).
func (e *authzEnv) newChapter(t *testing.T, s authzStory) string {
	t.Helper()
	return e.create(t, "/api/stories/"+s.ID+"/chapters", map[string]any{
		"title": fmt.Sprintf("Chapter %d", e.next()), "markdown": "Readers may read this.", "status": "completed"})
}

// newScene adds a scene with text (so it has a version 1) to a chapter.
func (e *authzEnv) newScene(t *testing.T, chapterID string) string {
	t.Helper()
	return e.create(t, "/api/chapters/"+chapterID+"/scenes", map[string]any{
		"title": fmt.Sprintf("Scene %d", e.next()), "markdown": "A scene."})
}

func (e *authzEnv) newCharacter(t *testing.T, s authzStory) string {
	t.Helper()
	return e.create(t, "/api/characters", map[string]any{"story_id": s.ID, "name": fmt.Sprintf("Character %d", e.next())})
}

func (e *authzEnv) newRelationship(t *testing.T, s authzStory) string {
	t.Helper()
	return e.create(t, "/api/characters/"+s.Character+"/relationships", map[string]any{
		"to_character_id": s.Character2, "kind": fmt.Sprintf("rival %d", e.next())})
}

func (e *authzEnv) newEntry(t *testing.T, s authzStory) string {
	t.Helper()
	return e.create(t, "/api/stories/"+s.ID+"/entries", map[string]any{"kind": "location", "name": fmt.Sprintf("Place %d", e.next())})
}

func (e *authzEnv) newFact(t *testing.T, s authzStory) string {
	t.Helper()
	return e.create(t, "/api/stories/"+s.ID+"/facts", map[string]any{"character_id": s.Character, "fact": fmt.Sprintf("Fact %d", e.next())})
}

// version reads, as the owner, the current version of the record at path.
func (e *authzEnv) version(t *testing.T, s authzStory, path string) int {
	t.Helper()
	if s.ghost {
		return 1
	}
	var v struct {
		Version int `json:"version"`
	}
	e.a.do(t, req{Method: "GET", Path: path, Token: e.tokens[asOwner]}).expect(t, http.StatusOK, "").into(t, &v)
	return v.Version
}

// order reads, as the owner, the ids of the list at path in their current order.
func (e *authzEnv) order(t *testing.T, s authzStory, path string) []string {
	t.Helper()
	if s.ghost {
		return []string{uuid.NewString()}
	}
	var list []struct {
		ID string `json:"id"`
	}
	e.a.do(t, req{Method: "GET", Path: path, Token: e.tokens[asOwner]}).expect(t, http.StatusOK, "").into(t, &list)
	ids := make([]string, len(list))
	for i, x := range list {
		ids[i] = x.ID
	}
	return ids
}

// authzCase is one endpoint of the matrix.
type authzCase struct {
	method, path string // path is a template over authzStory's fields
	note         string // tells apart cases of the same route
	// target, when set, makes a fresh object (as the owner) for one call and
	// returns the story naming it, so that every role gets its own.
	target func(t *testing.T, e *authzEnv, s authzStory, kind authzKind) authzStory
	// body returns the request body, reading current versions right before the call.
	body func(t *testing.T, e *authzEnv, s authzStory) any
	want authzWant
	// check, when set, looks into a successful answer and says what is wrong with it.
	check func(e *authzEnv, s authzStory, r authzRole, resp *response) string
}

func (c authzCase) String() string {
	if c.note != "" {
		return c.method + " " + c.path + " (" + c.note + ")"
	}
	return c.method + " " + c.path
}

// fixedBody returns a body that reads nothing.
func fixedBody(v any) func(*testing.T, *authzEnv, authzStory) any {
	return func(*testing.T, *authzEnv, authzStory) any { return v }
}

// versionedBody returns a body holding the current version of the record at path
// (a template) and the given fields.
func versionedBody(path string, fields map[string]any) func(*testing.T, *authzEnv, authzStory) any {
	return func(t *testing.T, e *authzEnv, s authzStory) any {
		body := map[string]any{"version": e.version(t, s, s.expand(path, ""))}
		for k, v := range fields {
			body[k] = v
		}
		return body
	}
}

// freshStory makes a story of the kind, with collaborators but no content.
func freshStory(t *testing.T, e *authzEnv, _ authzStory, kind authzKind) authzStory {
	return e.newStory(t, kind, false)
}

// storyWithTarget makes a story of the kind on which the target account is a viewer.
func storyWithTarget(t *testing.T, e *authzEnv, _ authzStory, kind authzKind) authzStory {
	s := e.newStory(t, kind, false)
	e.a.addCollaborator(t, e.tokens[asOwner], s.ID, e.target.User.Username, "viewer")
	s.User = e.target.User.ID
	return s
}

// trashedStory makes a story of the kind and moves it to the trash.
func trashedStory(t *testing.T, e *authzEnv, _ authzStory, kind authzKind) authzStory {
	s := e.newStory(t, kind, false)
	e.a.do(t, req{Method: "DELETE", Path: "/api/stories/" + s.ID + "?confirm=" + url.QueryEscape(s.Title), Token: e.tokens[asOwner]}).
		expect(t, http.StatusOK, "")
	return s
}

// authzViewRole is the role a story's view names for each caller.
func authzViewRole(r authzRole) string {
	if r >= asStranger {
		return "reader"
	}
	return r.String()
}

var authzCases = []authzCase{
	// Reads first: they change nothing.
	{method: "GET", path: "/api/stories", want: onBothKinds([5]int{200, 200, 200, 200, 401}),
		check: func(e *authzEnv, s authzStory, r authzRole, resp *response) string {
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			if err := json.Unmarshal(resp.Data, &page); err != nil {
				return err.Error()
			}
			listed := slices.ContainsFunc(page.Items, func(x struct {
				ID string `json:"id"`
			}) bool {
				return x.ID == s.ID
			})
			if listed != (r <= asViewer) {
				return fmt.Sprintf("story listed = %v", listed)
			}
			return ""
		}},
	{method: "GET", path: "/api/stories/{story}", want: openToReaders(200),
		check: func(e *authzEnv, s authzStory, r authzRole, resp *response) string {
			var v map[string]any
			if err := json.Unmarshal(resp.Data, &v); err != nil {
				return err.Error()
			}
			_, internal := v["version"]
			if v["role"] != authzViewRole(r) || internal != (r <= asViewer) {
				return fmt.Sprintf("view has role %v and version %v", v["role"], v["version"])
			}
			return ""
		}},
	{method: "GET", path: "/api/stories/{story}/chapters", want: openToReaders(200),
		check: func(e *authzEnv, s authzStory, r authzRole, resp *response) string {
			var list []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(resp.Data, &list); err != nil {
				return err.Error()
			}
			var ids []string
			for _, c := range list {
				ids = append(ids, c.ID)
			}
			if !slices.Contains(ids, s.Chapter) || slices.Contains(ids, s.Draft) != (r <= asViewer) {
				return fmt.Sprintf("listed completed %v, draft %v", slices.Contains(ids, s.Chapter), slices.Contains(ids, s.Draft))
			}
			return ""
		}},
	{method: "GET", path: "/api/chapters/{chapter}", want: openToReaders(200)},
	{method: "GET", path: "/api/chapters/{draft}", want: hiddenFromReaders()},
	{method: "GET", path: "/api/chapters/{chapter}/scenes", want: openToReaders(200)},
	{method: "GET", path: "/api/chapters/{draft}/scenes", want: hiddenFromReaders()},
	{method: "GET", path: "/api/scenes/{scene}", want: openToReaders(200)},
	{method: "GET", path: "/api/scenes/{draftscene}", want: hiddenFromReaders()},
	{method: "GET", path: "/api/chapters/{chapter}/versions", want: forCollaborators(404)},
	{method: "GET", path: "/api/chapters/{chapter}/versions/1", want: forCollaborators(404)},
	{method: "GET", path: "/api/chapters/{chapter}/diff?from=1&to=1", want: forCollaborators(404)},
	{method: "GET", path: "/api/scenes/{scene}/versions", want: forCollaborators(404)},
	{method: "GET", path: "/api/scenes/{scene}/versions/1", want: forCollaborators(404)},
	{method: "GET", path: "/api/scenes/{scene}/diff?from=1&to=1", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/collaborators", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/characters", want: forCollaborators(404)},
	{method: "GET", path: "/api/characters/{character}", want: forCollaborators(404)},
	{method: "GET", path: "/api/characters/{character}/relationships", want: forCollaborators(404)},
	{method: "GET", path: "/api/relationships/{relationship}", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/entries", want: forCollaborators(404)},
	{method: "GET", path: "/api/entries/{entry}", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/facts", want: forCollaborators(404)},
	{method: "GET", path: "/api/facts/{fact}", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/generate/preview?mode=continue", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/generations", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/provenance", want: forCollaborators(404)},
	{method: "GET", path: "/api/stories/{story}/pipelines", want: forCollaborators(404)},

	// Writes that leave the fixture usable.
	{method: "POST", path: "/api/stories/{story}/generate", body: fixedBody(map[string]any{"mode": "continue", "stream": false, "words": 50}),
		want: forEditors(201, 404)},
	{method: "POST", path: "/api/stories/{story}/generate/preview", body: fixedBody(map[string]any{"mode": "continue"}),
		want: forCollaborators(404)},
	{method: "POST", path: "/api/stories/{story}/pipelines", target: freshStory,
		body: fixedBody(map[string]any{"chapters": 1, "scenes_per_chapter": 1, "words_per_scene": 200}), want: forEditors(202, 404)},
	{method: "POST", path: "/api/stories", body: fixedBody(map[string]any{"title": "Another"}), want: onBothKinds([5]int{201, 201, 201, 201, 401})},
	{method: "PUT", path: "/api/stories/{story}", body: versionedBody("/api/stories/{story}", map[string]any{"description": "Changed."}),
		want: forEditors(200, 403)},
	{method: "POST", path: "/api/stories/{story}/chapters", body: fixedBody(map[string]any{"title": "New"}), want: forEditors(201, 403)},
	{method: "PUT", path: "/api/stories/{story}/chapters/order", want: forEditors(200, 403),
		body: func(t *testing.T, e *authzEnv, s authzStory) any {
			return map[string]any{"chapter_ids": e.order(t, s, "/api/stories/"+s.ID+"/chapters")}
		}},
	{method: "PUT", path: "/api/chapters/{chapter}", body: versionedBody("/api/chapters/{chapter}", map[string]any{"title": "Renamed"}),
		want: forEditors(200, 403)},
	{method: "PUT", path: "/api/chapters/{draft}", body: versionedBody("/api/chapters/{draft}", map[string]any{"title": "Renamed"}),
		want: forEditors(200, 404)},
	{method: "POST", path: "/api/chapters/{chapter}/versions/1/restore", body: versionedBody("/api/chapters/{chapter}", nil),
		want: forEditors(200, 403)},
	{method: "POST", path: "/api/chapters/{chapter}/scenes", body: fixedBody(map[string]any{"title": "New scene"}), want: forEditors(201, 403)},
	{method: "POST", path: "/api/chapters/{draft}/scenes", body: fixedBody(map[string]any{"title": "New scene"}), want: forEditors(201, 404)},
	{method: "PUT", path: "/api/chapters/{chapter}/scenes/order", want: forEditors(200, 403),
		body: func(t *testing.T, e *authzEnv, s authzStory) any {
			return map[string]any{"scene_ids": e.order(t, s, "/api/chapters/"+s.Chapter+"/scenes")}
		}},
	{method: "PUT", path: "/api/scenes/{scene}", body: versionedBody("/api/scenes/{scene}", map[string]any{"setting": "A harbour"}),
		want: forEditors(200, 403)},
	{method: "PUT", path: "/api/scenes/{draftscene}", body: versionedBody("/api/scenes/{draftscene}", map[string]any{"setting": "A harbour"}),
		want: forEditors(200, 404)},
	{method: "POST", path: "/api/scenes/{scene}/move", want: forEditors(200, 403),
		body: func(_ *testing.T, _ *authzEnv, s authzStory) any {
			return map[string]any{"chapter_id": s.Chapter, "position": 1}
		}},
	{method: "POST", path: "/api/scenes/{scene}/versions/1/restore", body: versionedBody("/api/scenes/{scene}", nil),
		want: forEditors(200, 403)},
	{method: "POST", path: "/api/characters", want: forEditors(201, 404),
		body: func(_ *testing.T, e *authzEnv, s authzStory) any {
			return map[string]any{"story_id": s.ID, "name": fmt.Sprintf("Character %d", e.next())}
		}},
	{method: "PUT", path: "/api/characters/{character}", body: versionedBody("/api/characters/{character}", map[string]any{"description": "Tall."}),
		want: forEditors(200, 404)},
	{method: "POST", path: "/api/characters/{character}/relationships", want: forEditors(201, 404),
		body: func(_ *testing.T, e *authzEnv, s authzStory) any {
			return map[string]any{"to_character_id": s.Character2, "kind": fmt.Sprintf("friend %d", e.next())}
		}},
	{method: "POST", path: "/api/stories/{story}/entries", want: forEditors(201, 404),
		body: func(_ *testing.T, e *authzEnv, _ authzStory) any {
			return map[string]any{"kind": "object", "name": fmt.Sprintf("Thing %d", e.next())}
		}},
	{method: "PUT", path: "/api/entries/{entry}", body: versionedBody("/api/entries/{entry}", map[string]any{"description": "Windy."}),
		want: forEditors(200, 404)},
	{method: "POST", path: "/api/stories/{story}/facts", want: forEditors(201, 404),
		body: func(_ *testing.T, _ *authzEnv, s authzStory) any {
			return map[string]any{"character_id": s.Character, "fact": "Has a scar."}
		}},
	{method: "PUT", path: "/api/facts/{fact}", body: versionedBody("/api/facts/{fact}", map[string]any{"fact": "Has two scars."}), want: forEditors(200, 404)},

	// What only owners do, each call on a story of its own.
	{method: "PUT", path: "/api/stories/{story}", note: "visibility", target: freshStory, want: forOwners(200),
		body: versionedBody("/api/stories/{story}", map[string]any{"visibility": "unlisted"})},
	{method: "POST", path: "/api/stories/{story}/publish", target: freshStory, want: forOwners(200)},
	{method: "POST", path: "/api/stories/{story}/unpublish", target: freshStory, want: forOwners(200)},
	{method: "POST", path: "/api/stories/{story}/collaborators", target: freshStory, want: forOwners(201),
		body: func(_ *testing.T, e *authzEnv, _ authzStory) any {
			return map[string]any{"user": e.target.User.Username, "role": "viewer"}
		}},
	// Naming an account that does not exist must not tell a caller who may not
	// manage collaborators anything the story's rules would not.
	{method: "POST", path: "/api/stories/{story}/collaborators", note: "naming no account", want: authzWant{
		{404, 403, 403, 404, 401}, {404, 403, 403, 403, 401}},
		body: fixedBody(map[string]any{"user": "nobody-by-this-name", "role": "viewer"})},
	{method: "PUT", path: "/api/stories/{story}/collaborators/{user}", target: storyWithTarget, want: forOwners(200),
		body: fixedBody(map[string]any{"role": "editor"})},

	// Destructive: every call gets its own target.
	{method: "DELETE", path: "/api/chapters/{chapter}", want: forEditors(200, 403),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Chapter = e.newChapter(t, s)
			return s
		}},
	{method: "DELETE", path: "/api/scenes/{scene}", want: forEditors(200, 403),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Scene = e.newScene(t, s.Chapter)
			return s
		}},
	{method: "DELETE", path: "/api/relationships/{relationship}", want: forEditors(200, 404),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Relationship = e.newRelationship(t, s)
			return s
		}},
	{method: "DELETE", path: "/api/facts/{fact}", want: forEditors(200, 404),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Fact = e.newFact(t, s)
			return s
		}},
	{method: "DELETE", path: "/api/characters/{character}", want: forEditors(200, 404),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Character = e.newCharacter(t, s)
			return s
		}},
	{method: "DELETE", path: "/api/entries/{entry}", want: forEditors(200, 404),
		target: func(t *testing.T, e *authzEnv, s authzStory, _ authzKind) authzStory {
			s.Entry = e.newEntry(t, s)
			return s
		}},
	{method: "DELETE", path: "/api/stories/{story}/collaborators/{user}", target: storyWithTarget, want: forOwners(200)},
	// Any collaborator may leave, but a story keeps its last owner.
	{method: "DELETE", path: "/api/stories/{story}/collaborators/{self}", note: "leave", target: freshStory, want: authzWant{
		{409, 200, 200, 404, 401}, {409, 200, 200, 403, 401}}},
	{method: "DELETE", path: "/api/stories/{story}?confirm={title}", target: freshStory, want: forOwners(200)},
	// A story in the trash exists only for its owners.
	{method: "POST", path: "/api/stories/{story}/restore", target: trashedStory, want: onBothKinds([5]int{200, 404, 404, 404, 401})},
}

// TestContentAuthz sends every Content endpoint as the owner, an editor, a viewer,
// a signed-in stranger and an anonymous caller, against a private story and a
// published public one, and checks each answer's status. A 404 that hides a story
// must look exactly like the answer for an id that does not exist. Every mismatch
// is collected before the test fails, so one run lists every problem.
func TestContentAuthz(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			e := newAuthzEnv(t, boot(t, b))
			var problems []string
			checks := 0
			for _, c := range authzCases {
				for _, kind := range []authzKind{authzPrivate, authzPublic} {
					for role := asOwner; role < authzRoleCount; role++ {
						checks++
						if p := e.run(t, c, kind, role); p != "" {
							problems = append(problems, fmt.Sprintf("%s as %s on %s story: %s", c, role, kind, p))
						}
					}
				}
			}
			t.Logf("%d endpoint cases × %d roles × 2 story kinds = %d checks", len(authzCases), authzRoleCount, checks)
			if len(problems) > 0 {
				t.Errorf("%d of %d checks failed:\n%s", len(problems), checks, strings.Join(problems, "\n"))
			}
		})
	}
}

// authzElsewhere are the routes of the content role whose authorization other
// tests check, because they name no story: the caller's own records, and
// records found by their own id.
var authzElsewhere = map[string]string{
	"GET /api/generations":              "TestGenerateStreamsAndRecords (the caller's own)",
	"GET /api/ai/usage":                 "TestGenerationChargesUsageAndQuota (the caller's own)",
	"GET /api/generations/{id}":         "TestGenerateJSONPreviewAndAccess",
	"POST /api/generations/{id}/accept": "TestGenerateJSONPreviewAndAccess",
	"GET /api/pipelines/{id}":           "TestPipelinePauseResumeCancel",
	"GET /api/pipelines/{id}/steps":     "TestPipelineEventsAndSteps",
	"GET /api/pipelines/{id}/events":    "TestPipelineEventsAndSteps",
	"POST /api/pipelines/{id}/pause":    "TestPipelinePauseResumeCancel",
	"POST /api/pipelines/{id}/resume":   "TestPipelineEventsAndSteps",
	"POST /api/pipelines/{id}/cancel":   "TestPipelineEventsAndSteps",
}

// TestContentAuthzCoversEveryRoute checks that the matrix has a case for every
// route of the content role (the Content service and generation), so a new
// endpoint cannot skip it.
func TestContentAuthzCoversEveryRoute(t *testing.T) {
	mux := &patternMux{ServeMux: http.NewServeMux()}
	content.NewHandler(nil, 0).Routes(mux)
	generation.NewHandler(nil, 0).Routes(mux)
	s := authzStory{}.ghostly()
	covered := map[string]bool{}
	for _, c := range authzCases {
		r, err := http.NewRequest(c.method, "http://localhost"+s.expand(c.path, uuid.NewString()), nil)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		_, pattern := mux.Handler(r)
		if pattern == "" {
			t.Errorf("%s is not a route of the content role", c)
		}
		covered[pattern] = true
	}
	for _, p := range mux.patterns {
		if !covered[p] && authzElsewhere[p] == "" {
			t.Errorf("no authorization case for %s", p)
		}
	}
}

// patternMux is a ServeMux that remembers the patterns registered on it.
type patternMux struct {
	*http.ServeMux
	patterns []string
}

func (m *patternMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// run makes one call of the matrix and returns what is wrong with its answer.
func (e *authzEnv) run(t *testing.T, c authzCase, kind authzKind, role authzRole) string {
	t.Helper()
	s := e.stories[kind]
	if c.target != nil {
		s = c.target(t, e, s, kind)
	}
	want := c.want[kind][role]
	r := e.send(t, c, s, role)
	if r.Status != want {
		return fmt.Sprintf("got %d want %d%s", r.Status, want, authzError(r))
	}
	if code := authzCodes[want]; code != "" && (r.Error == nil || r.Error.Code != code) {
		return fmt.Sprintf("got %d%s want code %s", r.Status, authzError(r), code)
	}
	if want == http.StatusNotFound && role != asOwner {
		g := e.send(t, c, s.ghostly(), role)
		if g.Status != r.Status || authzError(g) != authzError(r) || g.Error.Field != r.Error.Field {
			return fmt.Sprintf("got 404%s, but for ids that do not exist %d%s", authzError(r), g.Status, authzError(g))
		}
	}
	if c.check != nil && want < 300 {
		if p := c.check(e, s, role, r); p != "" {
			return p
		}
	}
	return ""
}

// send makes the call of c on s as role.
func (e *authzEnv) send(t *testing.T, c authzCase, s authzStory, role authzRole) *response {
	t.Helper()
	self := e.users[role].User.ID
	if self == "" {
		self = uuid.NewString()
	}
	var body any
	if c.body != nil {
		body = c.body(t, e, s)
	}
	return e.a.do(t, req{Method: c.method, Path: s.expand(c.path, self), Token: e.tokens[role], Body: body})
}

// authzError describes the error in an answer, for messages.
func authzError(r *response) string {
	if r.Error == nil {
		return ""
	}
	return fmt.Sprintf(" (%s: %s)", r.Error.Code, r.Error.Message)
}
