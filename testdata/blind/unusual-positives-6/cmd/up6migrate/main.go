// Command up6migrate rewrites a store snapshot from the v1 key layout
// ("acct:NAME") to the v2 layout ("acct/NAME").
package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"

	"example.com/up6/internal/obs"
	"example.com/up6/internal/store"
)

func migrate(st *store.Store, staging *os.File) error {
	snap := st.Snapshot()
	out := store.Snapshot{Version: snap.Version + 1, Data: make(map[string]int64, len(snap.Data))}
	for k, v := range snap.Data {
		out.Data[strings.Replace(k, "acct:", "acct/", 1)] = v
	}
	if err := json.NewEncoder(staging).Encode(&out); err != nil {
		staging.Close()
		return err
	}
	if err := staging.Sync(); err != nil {
		staging.Close()
		return err
	}
	if err := staging.Close(); err != nil {
		return err
	}
	return os.Rename(staging.Name(), filepath.Join(st.Dir(), "snapshot.json"))
}

func main() {
	dir := flag.String("dir", ".", "store directory")
	flag.Parse()
	logger := obs.Logger("up6migrate: ")

	st, err := store.Open(*dir)
	if err != nil {
		logger.Fatalf("open: %v", err)
	}
	staging, err := os.CreateTemp(*dir, "migrate-*.json")
	if err != nil {
		logger.Fatalf("staging: %v", err)
	}
	defer os.Remove(staging.Name())

	if err := migrate(st, staging); err != nil {
		logger.Fatalf("migrate: %v", err) // HAZ exit-skips-defer
	}
	logger.Printf("migrated %s", *dir)
}
