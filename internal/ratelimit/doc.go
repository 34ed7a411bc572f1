// Package ratelimit owns the counting of events per key: Limiter admits or
// refuses events at a rate (GCRA), and Lockout imposes an exponentially growing
// lock after repeated failures such as wrong passwords. Each has an in-process
// implementation for the embedded single-node mode and a Redis implementation,
// atomic through Lua scripts, that many nodes share in production. Both pass the
// same behaviour tests.
package ratelimit
