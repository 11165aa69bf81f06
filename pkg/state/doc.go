// Package state keeps Hangar's organizations, apps and addresses in one bbolt file, changing them only in transactions.
package state
