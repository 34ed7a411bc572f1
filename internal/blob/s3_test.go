package blob_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/blob/blobtest"
)

// TestS3 runs the behaviour suite against a real S3 server (versitygw), each
// subtest on a bucket of its own.
func TestS3(t *testing.T) {
	srv := blobtest.StartS3(t)
	blobtest.Run(t, func(t *testing.T) blob.Store { return srv.NewStore(t) })
}

func TestS3Config(t *testing.T) {
	srv := blobtest.StartS3(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("existing bucket is reused", func(t *testing.T) {
		cfg := srv.Config("awtest-reuse")
		a, err := blob.NewS3(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Put(ctx, "k", stringsReader("v"), 1, blob.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		cfg.Endpoint = "http://" + cfg.Endpoint // the URL form works too
		b, err := blob.NewS3(ctx, cfg)
		if err != nil {
			t.Fatalf("second NewS3 on the same bucket: %v", err)
		}
		if _, err := b.Stat(ctx, "k"); err != nil {
			t.Errorf("object put through the first store: %v", err)
		}
		if b.Provider() != "minio" {
			t.Errorf("Provider = %q, want minio", b.Provider())
		}
	})
	t.Run("wrong secret fails at start", func(t *testing.T) {
		cfg := srv.Config("awtest-denied")
		cfg.SecretKey = "wrong-secret-key"
		if _, err := blob.NewS3(ctx, cfg); err == nil {
			t.Error("NewS3 with a wrong secret succeeded")
		}
	})
	t.Run("bad endpoint", func(t *testing.T) {
		for _, ep := range []string{"", "ftp://host:21", "http://host:9000/path"} {
			cfg := srv.Config("awtest-x")
			cfg.Endpoint = ep
			if _, err := blob.NewS3(ctx, cfg); err == nil {
				t.Errorf("NewS3 with endpoint %q succeeded", ep)
			}
		}
	})
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
