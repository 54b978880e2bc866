package plugin

import (
	"context"
	"database/sql"
	"fmt"
)

// SQLStore persists plugin configuration in a SQL database.
type SQLStore struct {
	db *sql.DB
}

// NewSQLStore wraps an open database.
func NewSQLStore(db *sql.DB) *SQLStore {
	return &SQLStore{db: db}
}

// PluginNames returns the names of the configured plugins.
func (s *SQLStore) PluginNames(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM plugins ORDER BY name")
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("list plugins: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// LoadConfig returns the configuration rows of plugin name.
func (s *SQLStore) LoadConfig(ctx context.Context, name string) (Config, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM plugin_config WHERE plugin = ?", name)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	defer rows.Close()
	cfg := make(Config)
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		cfg[k] = v
	}
	return cfg, rows.Err()
}

// Count returns the number of configured plugins.
func (s *SQLStore) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM plugins").Scan(&n)
	return n, err
}
