// Package ipalloc hands out private IPv6 addresses from an organization's fdaa::/16 prefix.
//
// The address plan mirrors Fly.io's private network: an organization owns a
// /48 (fdaa:<n1>:<n2>::/48), its Flycast addresses come from
// fdaa:<n1>:<n2>:0:1::/80 and its machines sit on the Docker bridge subnet
// fdaa:<n1>:<n2>:a7b::/64. Inside machines the resolver answers on fdaa::3.
//
// A Pool allocates single addresses from one such range. Its state lives in
// bbolt buckets and every method takes the caller's transaction, so an
// address commits together with the record that owns it, or not at all. A
// Pool walks a persisted cursor forward through the range, skipping live,
// reserved and recently released addresses, and wraps once before reporting
// ErrExhausted. Each allocation costs a B+tree seek, O(log n) in the number of
// live addresses, plus one step per occupied address right at the cursor.
package ipalloc
