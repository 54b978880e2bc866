// Package migrate loads versioned SQL migrations from directories and
// embedded file systems and applies them to a database/sql database, one
// transaction per migration, recording each in a history table.
package migrate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Direction says which script of a migration runs.
type Direction int

const (
	// Up applies a migration.
	Up Direction = iota
	// Down reverts it.
	Down
)

func (d Direction) String() string {
	if d == Down {
		return "down"
	}
	return "up"
}

// Migration is one versioned schema change.
type Migration struct {
	Version int64
	Name    string
	UpSQL   string
	DownSQL string
	Source  string
}

// Checksum returns the hex SHA-256 of the up script. It is stored in the
// history table to detect migrations edited after they were applied.
func (m Migration) Checksum() string {
	sum := sha256.Sum256([]byte(m.UpSQL))
	return hex.EncodeToString(sum[:])
}

func (m Migration) String() string {
	return fmt.Sprintf("%04d_%s", m.Version, m.Name)
}

// Script returns the SQL for the given direction.
func (m Migration) Script(d Direction) string {
	if d == Down {
		return m.DownSQL
	}
	return m.UpSQL
}

// ParseFilename splits "0003_add_index.up.sql" into its parts.
func ParseFilename(name string) (version int64, label string, dir Direction, err error) {
	base := strings.TrimSuffix(name, ".sql")
	if base == name {
		return 0, "", Up, fmt.Errorf("migrate: %q: not a .sql file", name)
	}
	switch {
	case strings.HasSuffix(base, ".up"):
		base, dir = strings.TrimSuffix(base, ".up"), Up
	case strings.HasSuffix(base, ".down"):
		base, dir = strings.TrimSuffix(base, ".down"), Down
	default:
		return 0, "", Up, fmt.Errorf("migrate: %q: name must end in .up.sql or .down.sql", name)
	}
	i := strings.IndexByte(base, '_')
	if i <= 0 {
		return 0, "", Up, fmt.Errorf("migrate: %q: missing version prefix", name)
	}
	version, err = strconv.ParseInt(base[:i], 10, 64)
	if err != nil {
		return 0, "", Up, fmt.Errorf("migrate: %q: bad version: %w", name, err)
	}
	return version, base[i+1:], dir, nil
}

// Sort orders migrations by version.
func Sort(ms []Migration) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
}

// Statements splits a script into statements. A statement ends with a
// semicolon at the end of a line; "--" comment lines are dropped.
func Statements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(trimmed)
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSuffix(cur.String(), ";"))
			cur.Reset()
			continue
		}
		cur.WriteByte(' ')
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// fileEntry is one script file before up and down are paired.
type fileEntry struct {
	version int64
	label   string
	dir     Direction
	body    string
	source  string
}

// assemble pairs up and down scripts into migrations sorted by version.
func assemble(files []fileEntry) ([]Migration, error) {
	byVersion := make(map[int64]*Migration)
	for _, f := range files {
		m, ok := byVersion[f.version]
		if !ok {
			m = &Migration{Version: f.version, Name: f.label, Source: f.source}
			byVersion[f.version] = m
		} else if m.Name != f.label {
			return nil, fmt.Errorf("migrate: version %d has two names: %q and %q", f.version, m.Name, f.label)
		}
		if f.dir == Down {
			m.DownSQL = f.body
		} else {
			m.UpSQL = f.body
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if strings.TrimSpace(m.UpSQL) == "" {
			return nil, fmt.Errorf("migrate: %s has no up script", m)
		}
		out = append(out, *m)
	}
	Sort(out)
	return out, nil
}

// dedupe sorts merged migrations and rejects versions defined twice.
func dedupe(all []Migration) ([]Migration, error) {
	Sort(all)
	for i := 1; i < len(all); i++ {
		if all[i].Version == all[i-1].Version {
			return nil, fmt.Errorf("migrate: version %d defined in both %s and %s",
				all[i].Version, all[i-1].Source, all[i].Source)
		}
	}
	return all, nil
}
