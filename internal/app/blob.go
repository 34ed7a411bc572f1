package app

import (
	"context"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/config"
)

// newBlobStore opens the S3-compatible bucket when MINIO_ENDPOINT is set, else
// the local directory.
func newBlobStore(ctx context.Context, cfg *config.Config) (blob.Store, error) {
	s := cfg.Storage
	if s.Endpoint == "" {
		return blob.NewLocal(s.Dir)
	}
	return blob.NewS3(ctx, blob.S3Config{Endpoint: s.Endpoint, AccessKey: s.AccessKey, SecretKey: s.SecretKey,
		Bucket: s.Bucket, UseSSL: s.UseSSL, Region: s.Region})
}
