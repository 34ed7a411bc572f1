// Package cache owns short-lived key-value storage with per-key expiry: an
// in-process Memory store for the embedded single-node mode and a Redis store
// that many nodes share in production. Both satisfy Store and pass the same
// behaviour tests.
package cache
