package state

import (
	"bytes"
	"strconv"

	"go.etcd.io/bbolt"
)

// The by-app indexes list each machine and each address under its app, with keys
// "<app>/<machine ID>" and "<app>/<address>" and empty values. The proxy and the DNS
// server read one app's machines on their hot paths and the plane reads every app's
// addresses on each rebuild: through the index that is a prefix scan of the app's own
// keys, not a decode of every record of every app.
var (
	bucketMachinesByApp = []byte("machines_by_app")
	bucketIPsByApp      = []byte("ips_by_app")
	keySchema           = []byte("schema")
)

// schemaByApp is the first schema with the by-app indexes; databases without a schema
// key are older.
const schemaByApp = 2

// migrateHook runs after each record the migration indexes; the kill test blocks in it
// to kill a process in the middle of a migration.
var migrateHook = func(indexed int) {}

func byAppKey(app, key string) []byte { return []byte(app + "/" + key) }

func index(tx *bbolt.Tx, bucket []byte, app, key string) error {
	return tx.Bucket(bucket).Put(byAppKey(app, key), []byte{})
}

func unindex(tx *bbolt.Tx, bucket []byte, app, key string) error {
	return tx.Bucket(bucket).Delete(byAppKey(app, key))
}

// indexed lists an app's keys in an index bucket, in key order.
func indexed(tx *bbolt.Tx, bucket []byte, app string) []string {
	prefix := byAppKey(app, "")
	var keys []string
	c := tx.Bucket(bucket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, string(k[len(prefix):]))
	}
	return keys
}

// migrate brings an older database to the current schema. It runs inside Open's one
// transaction: a process killed part-way commits nothing, and the next Open starts over.
func migrate(tx *bbolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if v, _ := strconv.Atoi(string(meta.Get(keySchema))); v >= schemaByApp {
		return nil
	}
	n := 0
	err := each(tx, bucketMachines, func(m Machine) error {
		n++
		migrateHook(n)
		return index(tx, bucketMachinesByApp, m.App, m.ID)
	})
	if err == nil {
		err = each(tx, bucketIPs, func(ip IP) error { return index(tx, bucketIPsByApp, ip.App, ip.Addr.String()) })
	}
	if err != nil {
		return err
	}
	return meta.Put(keySchema, []byte(strconv.Itoa(schemaByApp)))
}
