package migrate

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Embedded returns the migrations compiled into the binary.
func Embedded() []Migration {
	return []Migration{
		{Version: 1, Name: "create_users", Up: "CREATE TABLE IF NOT EXISTS users (id INTEGER, email TEXT, name TEXT, active BOOLEAN)"},
		{Version: 2, Name: "create_orders", Up: "CREATE TABLE IF NOT EXISTS orders (id INTEGER, user_id INTEGER, status TEXT, total_cents INTEGER)"},
		{Version: 3, Name: "create_order_items", Up: "CREATE TABLE IF NOT EXISTS order_items (id INTEGER, order_id INTEGER, sku TEXT, qty INTEGER, price_cents INTEGER)"},
		{Version: 4, Name: "create_archived_orders", Up: "CREATE TABLE IF NOT EXISTS archived_orders (id INTEGER, user_id INTEGER, status TEXT, total_cents INTEGER)"},
		{Version: 5, Name: "create_outbox", Up: "CREATE TABLE IF NOT EXISTS outbox (id INTEGER, topic TEXT, payload BLOB, sent BOOLEAN)"},
	}
}

// parseFileName splits "0007_add_index.sql" into 7 and "add_index".
func parseFileName(name string) (int, string, error) {
	base := strings.TrimSuffix(filepath.Base(name), ".sql")
	num, rest, ok := strings.Cut(base, "_")
	if !ok || rest == "" {
		return 0, "", fmt.Errorf("migrate: %q is not VERSION_NAME.sql", name)
	}
	v, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", fmt.Errorf("migrate: bad version in %q: %w", name, err)
	}
	return v, rest, nil
}

func readMigration(path string) (Migration, error) {
	v, name, err := parseFileName(path)
	if err != nil {
		return Migration{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Migration{}, err
	}
	defer f.Close()
	body, err := io.ReadAll(f)
	if err != nil {
		return Migration{}, err
	}
	return Migration{Version: v, Name: name, Up: strings.TrimSpace(string(body))}, nil
}

// LoadDir reads every *.sql file of dir.
func LoadDir(dir string) ([]Migration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		mig, err := readMigration(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, mig)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// LoadFiles reads the given migration files.
func LoadFiles(paths []string) ([]Migration, error) {
	out := make([]Migration, 0, len(paths))
	for _, p := range paths {
		v, name, err := parseFileName(p)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		body, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("migrate: read %s: %w", p, err)
		}
		out = append(out, Migration{Version: v, Name: name, Up: strings.TrimSpace(string(body))})
	}
	return out, nil
}
