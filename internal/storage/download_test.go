package storage

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/sqldb"
)

func TestRangesAndValidators(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t)
		ann := e.user(t, "free")
		data := text(10_000)
		size := len(data)
		v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "Chapitre été.txt", data: data})
		etag := `"` + v.SHA256 + `"`
		get := func(hdr map[string]string) *response { return e.do(t, http.MethodGet, v.URL, ann, hdr) }

		for _, tc := range []struct {
			name, rng, contentRange string
			want                    []byte
		}{
			{"middle", "bytes=100-199", "bytes 100-199/" + strconv.Itoa(size), data[100:200]},
			{"open end", "bytes=9000-", "bytes 9000-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size), data[9000:]},
			{"suffix", "bytes=-100", "bytes " + strconv.Itoa(size-100) + "-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size), data[size-100:]},
			{"end past the file", "bytes=9990-20000", "bytes 9990-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size), data[9990:]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := get(map[string]string{"Range": tc.rng})
				if r.status != http.StatusPartialContent || !bytes.Equal(r.body, tc.want) {
					t.Fatalf("Range %s: %d with %d bytes, want 206 with %d", tc.rng, r.status, len(r.body), len(tc.want))
				}
				if got := r.header.Get("Content-Range"); got != tc.contentRange {
					t.Errorf("Content-Range = %q, want %q", got, tc.contentRange)
				}
				if r.header.Get("ETag") != etag {
					t.Errorf("ETag = %q, want %q", r.header.Get("ETag"), etag)
				}
			})
		}

		t.Run("two ranges", func(t *testing.T) {
			r := get(map[string]string{"Range": "bytes=0-9,20-29"})
			mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
			if r.status != http.StatusPartialContent || err != nil || mt != "multipart/byteranges" {
				t.Fatalf("two ranges: %d %s", r.status, r.header.Get("Content-Type"))
			}
			mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
			for _, want := range [][]byte{data[0:10], data[20:30]} {
				p, err := mr.NextPart()
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(p)
				if !bytes.Equal(got, want) {
					t.Errorf("part %q, want %q", got, want)
				}
			}
		})

		t.Run("unsatisfiable", func(t *testing.T) {
			r := get(map[string]string{"Range": "bytes=20000-"})
			if r.status != http.StatusRequestedRangeNotSatisfiable || r.code() != "RANGE_NOT_SATISFIABLE" {
				t.Fatalf("Range past the end: %s, want 416 RANGE_NOT_SATISFIABLE in the envelope", r)
			}
			if got := r.header.Get("Content-Range"); got != "bytes */"+strconv.Itoa(size) {
				t.Errorf("Content-Range = %q, want bytes */%d", got, size)
			}
			if r.header.Get("Content-Disposition") != "" {
				t.Error("an error answer carries the file's Content-Disposition")
			}
		})

		t.Run("If-None-Match", func(t *testing.T) {
			for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
				r := get(map[string]string{"If-None-Match": inm})
				if r.status != http.StatusNotModified || len(r.body) != 0 {
					t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and no body", inm, r.status, len(r.body))
				}
			}
			if r := get(map[string]string{"If-None-Match": `"stale"`}); r.status != http.StatusOK || !bytes.Equal(r.body, data) {
				t.Errorf("If-None-Match with a stale tag: %d, want 200 and the file", r.status)
			}
		})

		t.Run("If-Range", func(t *testing.T) {
			r := get(map[string]string{"Range": "bytes=0-9", "If-Range": etag})
			if r.status != http.StatusPartialContent || !bytes.Equal(r.body, data[:10]) {
				t.Errorf("If-Range with the current tag: %d, want 206", r.status)
			}
			r = get(map[string]string{"Range": "bytes=0-9", "If-Range": `"stale"`})
			if r.status != http.StatusOK || !bytes.Equal(r.body, data) {
				t.Errorf("If-Range with a stale tag: %d, want 200 and the whole file", r.status)
			}
		})

		t.Run("HEAD", func(t *testing.T) {
			r := e.do(t, http.MethodHead, v.URL, ann, nil)
			if r.status != http.StatusOK || r.header.Get("Content-Length") != strconv.Itoa(size) || len(r.body) != 0 {
				t.Errorf("HEAD: %d, Content-Length %q, %d body bytes", r.status, r.header.Get("Content-Length"), len(r.body))
			}
		})

		t.Run("headers", func(t *testing.T) {
			r := get(nil)
			if got := r.header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			disp, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
			if err != nil || disp != "attachment" || params["filename"] != "Chapitre été.txt" {
				t.Errorf("Content-Disposition %q → %s %v %v", r.header.Get("Content-Disposition"), disp, params, err)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
				t.Errorf("Content-Security-Policy = %q, want a sandbox", csp)
			}
			if lm, err := http.ParseTime(r.header.Get("Last-Modified")); err != nil || time.Since(lm) > time.Hour {
				t.Errorf("Last-Modified = %q", r.header.Get("Last-Modified"))
			}
		})
	})
}

// TestPresignedRedirect checks that with presigned downloads on, an S3 file is
// answered with a redirect that still serves ranges, after access and
// revalidation are checked here.
func TestPresignedRedirect(t *testing.T) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			e := setup{dialect: sqldb.Dialect(d), backend: "s3"}.newEnv(t, func(c *Config) { c.PresignTTL = time.Minute })
			ann, eve := e.user(t, "free"), e.user(t, "free")
			data := text(5000)
			v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "notes.md", data: data})

			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest(http.MethodGet, e.url+v.URL, nil)
			req.Header.Set("Authorization", "Bearer "+ann)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r := readResponse(t, resp)
			loc := r.header.Get("Location")
			if r.status != http.StatusFound || !strings.Contains(loc, "X-Amz-Signature=") || r.header.Get("Cache-Control") != "no-store" {
				t.Fatalf("GET with presigning on: %s, Location %q, Cache-Control %q; want 302 to a signed URL, no-store",
					r, loc, r.header.Get("Cache-Control"))
			}

			// Following the redirect, the Range header goes along.
			r = e.do(t, http.MethodGet, v.URL, ann, map[string]string{"Range": "bytes=10-19"})
			if r.status != http.StatusPartialContent || !bytes.Equal(r.body, data[10:20]) {
				t.Errorf("ranged GET through the redirect: %d %q, want 206 %q", r.status, r.body, data[10:20])
			}
			if disp := r.header.Get("Content-Disposition"); !strings.HasPrefix(disp, `attachment; filename="notes.md"`) {
				t.Errorf("Content-Disposition from the store = %q", disp)
			}
			if r := e.do(t, http.MethodGet, v.URL, ann, map[string]string{"If-None-Match": `"` + v.SHA256 + `"`}); r.status != http.StatusNotModified {
				t.Errorf("If-None-Match with presigning on: %d, want 304 without a redirect", r.status)
			}
			if r := e.do(t, http.MethodGet, v.URL, eve, nil); r.status != http.StatusNotFound {
				t.Errorf("stranger with presigning on: %d, want 404", r.status)
			}
			if u, err := e.svc.DownloadURL(context.Background(), v.ID); err != nil || !strings.Contains(u, "X-Amz-Signature=") {
				t.Errorf("DownloadURL = %q, %v; want a presigned URL", u, err)
			}
		})
	}
}
