package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Storage configures where files live.
type Storage struct {
	// Endpoint, when set, puts files in an S3-compatible bucket; otherwise they
	// go to Dir on local disk.
	Endpoint, AccessKey, SecretKey, Bucket, Region string
	UseSSL                                         bool
	Dir                                            string
	// Quotas is the allowance in bytes per subscription tier; 0 is unlimited.
	Quotas        map[string]int64
	PresignTTL    time.Duration
	UploadTimeout time.Duration
}

// DefaultStorageQuotas are the storage allowances per tier.
var DefaultStorageQuotas = map[string]int64{
	"free": 100 << 20, "basic": 1 << 30, "pro": 10 << 30, "enterprise": 100 << 30,
}

func loadStorage(getenv func(string) string, durVar func(string, time.Duration) time.Duration, bad func(string, error)) Storage {
	s := Storage{
		Endpoint:      strings.TrimSpace(getenv("MINIO_ENDPOINT")),
		AccessKey:     strings.TrimSpace(getenv("MINIO_ACCESS_KEY")),
		SecretKey:     getenv("MINIO_SECRET_KEY"),
		Bucket:        orDefault(getenv("MINIO_BUCKET"), "authorworks"),
		Region:        orDefault(getenv("MINIO_REGION"), "us-east-1"),
		Dir:           strings.TrimSpace(getenv("STORAGE_DIR")),
		UploadTimeout: durVar("STORAGE_UPLOAD_TIMEOUT", 15*time.Minute),
	}
	if v := getenv("MINIO_USE_SSL"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("MINIO_USE_SSL", fmt.Errorf("%q is not true or false", v))
		}
		s.UseSSL = b
	}
	if s.Endpoint != "" && (s.AccessKey == "" || s.SecretKey == "") {
		bad("MINIO_ACCESS_KEY", errors.New("MINIO_ACCESS_KEY and MINIO_SECRET_KEY are required with MINIO_ENDPOINT"))
	}
	if v := strings.TrimSpace(getenv("STORAGE_PRESIGN_TTL")); v != "" && v != "0" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 7*24*time.Hour {
			bad("STORAGE_PRESIGN_TTL", fmt.Errorf("%q is not a duration up to 168h (S3's limit)", v))
		}
		s.PresignTTL = d
	}
	var err error
	if s.Quotas, err = parseTierMap(getenv("STORAGE_QUOTAS"), DefaultStorageQuotas, "bytes"); err != nil {
		bad("STORAGE_QUOTAS", err)
	}
	return s
}
