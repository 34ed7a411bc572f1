package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// story is what the stories endpoints return to collaborators.
type story struct {
	ID          string          `json:"id"`
	OwnerID     string          `json:"owner_id"`
	Title       string          `json:"title"`
	ContentType string          `json:"content_type"`
	Status      string          `json:"status"`
	Visibility  string          `json:"visibility"`
	WordCount   int             `json:"word_count"`
	Version     int             `json:"version"`
	Role        string          `json:"role"`
	Metadata    json.RawMessage `json:"metadata"`
	PublishedAt *time.Time      `json:"published_at"`
	DeletedAt   *time.Time      `json:"deleted_at"`
}

type chapter struct {
	ID        string          `json:"id"`
	StoryID   string          `json:"story_id"`
	Number    int             `json:"chapter_number"`
	Title     string          `json:"title"`
	Status    string          `json:"status"`
	WordCount int             `json:"word_count"`
	Version   int             `json:"version"`
	Content   json.RawMessage `json:"content"`
	Markdown  *string         `json:"markdown"`
	Text      *string         `json:"text"`
}

func (a *testApp) createStory(t testing.TB, token, title string) story {
	t.Helper()
	var s story
	a.do(t, req{Method: "POST", Path: "/api/stories", Token: token, Body: map[string]any{"title": title}}).
		expect(t, http.StatusCreated, "").into(t, &s)
	return s
}

func (a *testApp) createChapter(t testing.TB, token, storyID, title, markdown string) chapter {
	t.Helper()
	var c chapter
	a.do(t, req{Method: "POST", Path: "/api/stories/" + storyID + "/chapters", Token: token,
		Body: map[string]any{"title": title, "markdown": markdown}}).expect(t, http.StatusCreated, "").into(t, &c)
	return c
}

func (a *testApp) addCollaborator(t testing.TB, token, storyID, username, role string) {
	t.Helper()
	a.do(t, req{Method: "POST", Path: "/api/stories/" + storyID + "/collaborators", Token: token,
		Body: map[string]string{"user": username, "role": role}}).expect(t, http.StatusCreated, "")
}

func TestStories(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "novelist")
			other := a.register(t, "stranger")

			var s story
			r := a.do(t, req{Method: "POST", Path: "/api/stories", Token: me.AccessToken, Body: map[string]any{
				"title": "The Long Winter", "genre": "Fantasy", "content_type": "novel", "metadata": map[string]any{"series": "North"}}}).
				expect(t, http.StatusCreated, "")
			r.into(t, &s)
			if s.Role != "owner" || s.Status != "draft" || s.Visibility != "private" || s.Version != 1 || s.OwnerID != me.User.ID {
				t.Fatalf("created story = %+v", s)
			}
			if r.Header.Get("Location") != "/api/stories/"+s.ID {
				t.Errorf("Location = %q", r.Header.Get("Location"))
			}

			t.Run("validation", func(t *testing.T) {
				for name, body := range map[string]map[string]any{
					"title":        {"genre": "x"},
					"content_type": {"title": "x", "content_type": "poem"},
					"visibility":   {"title": "x", "visibility": "secret"},
					"metadata":     {"title": "x", "metadata": []int{1}},
					"status":       {"title": "x", "status": "published"},
				} {
					r := a.do(t, req{Method: "POST", Path: "/api/stories", Token: me.AccessToken, Body: body}).
						expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
					if r.Error.Field != name {
						t.Errorf("%s: field = %q", name, r.Error.Field)
					}
				}
				a.do(t, req{Method: "POST", Path: "/api/stories", Body: map[string]any{"title": "x"}}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			})

			t.Run("strangers cannot see private stories", func(t *testing.T) {
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID, Token: other.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: other.AccessToken, Body: map[string]any{"version": 1, "title": "Mine"}}).
					expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("update needs the current version", func(t *testing.T) {
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: me.AccessToken, Body: map[string]any{"title": "No version"}}).
					expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				var u story
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: me.AccessToken, Body: map[string]any{"version": 1, "subtitle": "A tale"}}).
					expect(t, http.StatusOK, "").into(t, &u)
				if u.Version != 2 {
					t.Fatalf("version after update = %d", u.Version)
				}
				r := a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: me.AccessToken, Body: map[string]any{"version": 1, "title": "Stale"}}).
					expect(t, http.StatusConflict, "VERSION_CONFLICT")
				var cur story
				r.into(t, &cur)
				if cur.Version != 2 || cur.Title != "The Long Winter" {
					t.Fatalf("conflict carries %+v, want the current story", cur)
				}
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: me.AccessToken, Header: map[string]string{"If-Match": `"1"`},
					Body: map[string]any{"title": "Stale"}}).expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
			})

			t.Run("list, filter, sort, search, paginate", func(t *testing.T) {
				for i, title := range []string{"Alpha", "bravo", "Charlie", "delta"} {
					var x story
					a.do(t, req{Method: "POST", Path: "/api/stories", Token: me.AccessToken, Body: map[string]any{
						"title": title, "content_type": []string{"novel", "screenplay"}[i%2]}}).expect(t, http.StatusCreated, "").into(t, &x)
					a.Clock.Advance(time.Second)
				}
				a.createStory(t, other.AccessToken, "Not mine")
				var page struct {
					Items      []story `json:"items"`
					NextCursor *string `json:"next_cursor"`
				}
				a.do(t, req{Method: "GET", Path: "/api/stories?sort=title&limit=2", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &page)
				var titles []string
				for {
					for _, x := range page.Items {
						titles = append(titles, x.Title)
					}
					if page.NextCursor == nil {
						break
					}
					a.do(t, req{Method: "GET", Path: "/api/stories?sort=title&limit=2&cursor=" + *page.NextCursor, Token: me.AccessToken}).
						expect(t, http.StatusOK, "").into(t, &page)
				}
				if got := strings.Join(titles, ","); got != "Alpha,bravo,Charlie,delta,The Long Winter" {
					t.Fatalf("titles by title = %s", got)
				}
				a.do(t, req{Method: "GET", Path: "/api/stories?content_type=screenplay", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &page)
				if len(page.Items) != 2 {
					t.Fatalf("screenplays = %d, want 2", len(page.Items))
				}
				a.do(t, req{Method: "GET", Path: "/api/stories?q=ARL", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &page)
				if len(page.Items) != 1 || page.Items[0].Title != "Charlie" {
					t.Fatalf("search ARL = %+v", page.Items)
				}
				a.do(t, req{Method: "GET", Path: "/api/stories?sort=-created_at&limit=1", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &page)
				if page.Items[0].Title != "delta" {
					t.Fatalf("newest = %s", page.Items[0].Title)
				}
				a.do(t, req{Method: "GET", Path: "/api/stories?sort=title&cursor=" + *page.NextCursor, Token: me.AccessToken}).
					expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "GET", Path: "/api/stories?sort=size", Token: me.AccessToken}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			})

			t.Run("publish makes a public story readable by anyone", func(t *testing.T) {
				c := a.createChapter(t, me.AccessToken, s.ID, "One", "It was cold.")
				var cur story
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID, Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &cur)
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: me.AccessToken, Body: map[string]any{"version": cur.Version, "visibility": "public"}}).
					expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID}).expect(t, http.StatusNotFound, "NOT_FOUND") // not yet published
				var pub story
				a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/publish", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &pub)
				if pub.Status != "published" || pub.PublishedAt == nil {
					t.Fatalf("published story = %+v", pub)
				}
				var anon map[string]any
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID}).expect(t, http.StatusOK, "").into(t, &anon)
				if anon["role"] != "reader" || anon["metadata"] != nil || anon["title"] != "The Long Winter" {
					t.Fatalf("anonymous view = %v", anon)
				}
				// Draft chapters never reach readers.
				var list []chapter
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID + "/chapters"}).expect(t, http.StatusOK, "").into(t, &list)
				if len(list) != 0 {
					t.Fatalf("readers see %d draft chapters", len(list))
				}
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + c.ID}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + c.ID, Token: me.AccessToken, Body: map[string]any{"version": c.Version, "status": "completed"}}).
					expect(t, http.StatusOK, "")
				var read chapter
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + c.ID + "?format=text"}).expect(t, http.StatusOK, "").into(t, &read)
				if read.Text == nil || *read.Text != "It was cold." {
					t.Fatalf("reader's chapter = %+v", read)
				}
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + c.ID, Token: other.AccessToken, Body: map[string]any{"version": 2, "title": "x"}}).
					expect(t, http.StatusForbidden, "FORBIDDEN")
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID, Token: "garbage"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/unpublish", Token: me.AccessToken}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("delete goes to the trash and can be restored", func(t *testing.T) {
				x := a.createStory(t, me.AccessToken, "Doomed")
				c := a.createChapter(t, me.AccessToken, x.ID, "Only", "Words that must not be lost.")
				a.do(t, req{Method: "DELETE", Path: "/api/stories/" + x.ID, Token: me.AccessToken}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "DELETE", Path: "/api/stories/" + x.ID + "?confirm=Doomed", Token: other.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "DELETE", Path: "/api/stories/" + x.ID + "?confirm=Doomed", Token: me.AccessToken}).expect(t, http.StatusOK, "")
				var trash struct{ Items []story }
				a.do(t, req{Method: "GET", Path: "/api/stories?trash=true", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &trash)
				if len(trash.Items) != 1 || trash.Items[0].ID != x.ID || trash.Items[0].DeletedAt == nil {
					t.Fatalf("trash = %+v", trash.Items)
				}
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + c.ID, Token: me.AccessToken, Body: map[string]any{"version": c.Version, "title": "x"}}).
					expect(t, http.StatusConflict, "CONFLICT")
				a.do(t, req{Method: "POST", Path: "/api/stories/" + x.ID + "/restore", Token: me.AccessToken}).expect(t, http.StatusOK, "")
				var back chapter
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + c.ID + "?format=text", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &back)
				if *back.Text != "Words that must not be lost." {
					t.Fatalf("restored text = %q", *back.Text)
				}
				// Past the grace period the trash is purged, with everything in it.
				a.do(t, req{Method: "DELETE", Path: "/api/stories/" + x.ID + "?confirm=Doomed", Token: me.AccessToken}).expect(t, http.StatusOK, "")
				a.Clock.Advance(31 * 24 * time.Hour)
				n, err := a.Content.PurgeTrash(t.Context())
				if err != nil || n != 1 {
					t.Fatalf("purge = %d, %v", n, err)
				}
				var fresh session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "novelist", "password": "correct horse battery staple"}}).
					expect(t, http.StatusOK, "").into(t, &fresh)
				a.do(t, req{Method: "POST", Path: "/api/stories/" + x.ID + "/restore", Token: fresh.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
				var chapters int
				if err := a.DB.QueryRow(`SELECT COUNT(*) FROM chapters WHERE book_id = $1`, x.ID).Scan(&chapters); err != nil || chapters != 0 {
					t.Fatalf("chapters left after purge: %d (%v)", chapters, err)
				}
			})

			t.Run("events are recorded with the change", func(t *testing.T) {
				var n int
				if err := a.DB.QueryRow(`SELECT COUNT(*) FROM outbox_events WHERE aggregate_id = $1`, s.ID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n < 4 { // created, updated×2, published, unpublished
					t.Fatalf("%d events for the story, want at least 4", n)
				}
			})
		})
	}
}

func TestChaptersAndVersions(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "writer")
			s := a.createStory(t, me.AccessToken, "Book")
			one := a.createChapter(t, me.AccessToken, s.ID, "One", "First words here.")
			two := a.createChapter(t, me.AccessToken, s.ID, "Two", "Second chapter, five words.")
			var zero chapter
			a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/chapters", Token: me.AccessToken,
				Body: map[string]any{"title": "Prologue", "position": 1, "content": []any{}}}).expect(t, http.StatusCreated, "").into(t, &zero)
			order := func() string {
				var list []chapter
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID + "/chapters", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &list)
				var parts []string
				for i, c := range list {
					if c.Number != i+1 {
						t.Fatalf("chapter %q has number %d at position %d", c.Title, c.Number, i+1)
					}
					parts = append(parts, c.Title)
				}
				return strings.Join(parts, ",")
			}
			if got := order(); got != "Prologue,One,Two" {
				t.Fatalf("order = %s", got)
			}
			var st story
			a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID, Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &st)
			if st.WordCount != 3+4 {
				t.Fatalf("story word count = %d, want 7", st.WordCount)
			}

			t.Run("bad documents are rejected and nothing changes", func(t *testing.T) {
				for _, doc := range []string{
					`[{"type":"script","children":[{"text":"x"}]}]`,
					`[{"type":"p","children":[{"text":"x","onclick":true}]}]`,
					`[{"type":"p","children":[{"type":"a","url":"javascript:alert(1)","children":[{"text":"x"}]}]}]`,
					`{"type":"p"}`,
				} {
					r := a.do(t, req{Method: "PUT", Path: "/api/chapters/" + one.ID, Token: me.AccessToken,
						RawBody: `{"version":1,"content":` + doc + `}`}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
					if !strings.HasPrefix(r.Error.Field, "content") {
						t.Errorf("doc %s: field = %q", doc, r.Error.Field)
					}
				}
				var c chapter
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "?format=text", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &c)
				if c.Version != 1 || *c.Text != "First words here." {
					t.Fatalf("chapter after bad saves = v%d %q", c.Version, *c.Text)
				}
			})

			t.Run("saves record versions, coalesce, diff and restore", func(t *testing.T) {
				save := func(version int, md, summary string) chapter {
					var c chapter
					a.do(t, req{Method: "PUT", Path: "/api/chapters/" + one.ID, Token: me.AccessToken,
						Body: map[string]any{"version": version, "markdown": md, "change_summary": summary}}).expect(t, http.StatusOK, "").into(t, &c)
					return c
				}
				a.Clock.Advance(6 * time.Minute) // the creation stays a version of its own
				c := save(1, "First words here.\n\nA new paragraph.", "")
				a.Clock.Advance(10 * time.Second)
				c = save(c.Version, "First words here.\n\nA new paragraph, edited.", "") // folds into the same version
				a.Clock.Advance(6 * time.Minute)
				c = save(c.Version, "First words here.\n\nA new paragraph, edited.\n\nThird.", "")
				var versions []struct {
					Number int `json:"version_number"`
					Kind   string
				}
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "/versions", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &versions)
				if len(versions) != 3 || versions[0].Number != 3 {
					t.Fatalf("versions = %+v, want 3 (creation, folded autosaves, later save)", versions)
				}
				var d struct {
					Ops []struct{ Op, Text string }
				}
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "/diff?from=1&to=3", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &d)
				got := fmt.Sprint(d.Ops)
				if got != "[{equal First words here.} {insert A new paragraph, edited.} {insert Third.}]" {
					t.Fatalf("diff = %s", got)
				}
				a.do(t, req{Method: "POST", Path: "/api/chapters/" + one.ID + "/versions/1/restore", Token: me.AccessToken,
					Body: map[string]int{"version": c.Version - 1}}).expect(t, http.StatusConflict, "VERSION_CONFLICT")
				var restored chapter
				a.do(t, req{Method: "POST", Path: "/api/chapters/" + one.ID + "/versions/1/restore", Token: me.AccessToken,
					Body: map[string]int{"version": c.Version}}).expect(t, http.StatusOK, "").into(t, &restored)
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "?format=markdown", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &restored)
				if strings.TrimSpace(*restored.Markdown) != "First words here." {
					t.Fatalf("restored markdown = %q", *restored.Markdown)
				}
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "/versions", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &versions)
				if len(versions) != 4 || versions[0].Kind != "restore" {
					t.Fatalf("after restore versions = %+v", versions)
				}
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "/versions/99", Token: me.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("stale saves never overwrite", func(t *testing.T) {
				var c chapter
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + two.ID, Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &c)
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + two.ID, Token: me.AccessToken, Body: map[string]any{"version": c.Version, "markdown": "Mine."}}).
					expect(t, http.StatusOK, "")
				r := a.do(t, req{Method: "PUT", Path: "/api/chapters/" + two.ID, Token: me.AccessToken, Body: map[string]any{"version": c.Version, "markdown": "Theirs."}}).
					expect(t, http.StatusConflict, "VERSION_CONFLICT")
				var cur chapter
				r.into(t, &cur)
				if cur.Version != c.Version+1 || len(cur.Content) == 0 {
					t.Fatalf("conflict data = %+v", cur)
				}
			})

			t.Run("reorder validates and concurrent changes keep numbering", func(t *testing.T) {
				r := a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID + "/chapters/order", Token: me.AccessToken,
					Body: map[string]any{"chapter_ids": []string{one.ID, two.ID}}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != "chapter_ids" {
					t.Errorf("field = %q", r.Error.Field)
				}
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID + "/chapters/order", Token: me.AccessToken,
					Body: map[string]any{"chapter_ids": []string{one.ID, two.ID, one.ID}}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID + "/chapters/order", Token: me.AccessToken,
					Body: map[string]any{"chapter_ids": []string{two.ID, zero.ID, one.ID}}}).expect(t, http.StatusOK, "")
				if got := order(); got != "Two,Prologue,One" {
					t.Fatalf("order = %s", got)
				}
				var wg sync.WaitGroup
				for i := range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if i%2 == 0 {
							a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/chapters", Token: me.AccessToken,
								Body: map[string]any{"title": fmt.Sprintf("C%d", i), "position": 1}})
						} else {
							a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID + "/chapters/order", Token: me.AccessToken,
								Body: map[string]any{"chapter_ids": []string{two.ID, zero.ID, one.ID}}})
						}
					}()
				}
				wg.Wait()
				got := order() // checks 1..n without gaps
				if n := strings.Count(got, ",") + 1; n != 7 {
					t.Fatalf("after concurrent creates: %s (%d chapters, want 7)", got, n)
				}
				a.do(t, req{Method: "DELETE", Path: "/api/chapters/" + zero.ID, Token: me.AccessToken}).expect(t, http.StatusOK, "")
				order()
			})
		})
	}
}
