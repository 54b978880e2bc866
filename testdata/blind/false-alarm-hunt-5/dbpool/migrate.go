package dbpool

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema change.
type Migration struct {
	Version    int
	Name       string
	Statements []string
}

// readMigration parses "NNN_name.sql"; statements end with ';'. The file
// is read-only.
func readMigration(path string) (Migration, error) {
	base := filepath.Base(path)
	num, name, ok := strings.Cut(strings.TrimSuffix(base, ".sql"), "_")
	if !ok {
		return Migration{}, fmt.Errorf("dbpool: migration %s: want NNN_name.sql", base)
	}
	v, err := strconv.Atoi(num)
	if err != nil {
		return Migration{}, fmt.Errorf("dbpool: migration %s: %w", base, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return Migration{}, err
	}
	defer f.Close()
	m := Migration{Version: v, Name: name}
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(line, ";") {
			m.Statements = append(m.Statements, strings.TrimSuffix(cur.String(), ";"))
			cur.Reset()
		} else {
			cur.WriteByte(' ')
		}
	}
	return m, sc.Err()
}

// LoadMigrations reads every *.sql file of dir, sorted by version. Each
// file is opened and closed inside readMigration.
func LoadMigrations(dir string) ([]Migration, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	ms := make([]Migration, 0, len(paths))
	for _, p := range paths {
		m, err := readMigration(p)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("dbpool: duplicate migration version %d", ms[i].Version)
		}
	}
	return ms, nil
}

// currentVersion returns the highest applied migration, 0 if none.
func (p *Pool) currentVersion(ctx context.Context) (int, error) {
	var v int
	err := p.QueryRow(ctx, "SELECT v FROM schema_migrations WHERE k = ?", "version").Scan(&v)
	if errors.Is(err, ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// Migrate applies the migrations newer than the current version, each in
// its own transaction.
func (p *Pool) Migrate(ctx context.Context, ms []Migration, logf func(string, ...any)) error {
	if _, err := p.Exec(ctx, "CREATE TABLE schema_migrations"); err != nil {
		return err
	}
	cur, err := p.currentVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Version <= cur {
			continue
		}
		if err := p.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		logf("dbpool: applied migration %d %s", m.Version, m.Name)
	}
	return nil
}

func (p *Pool) applyMigration(ctx context.Context, m Migration) error {
	return p.WithTx(ctx, func(tx *Tx) error {
		for _, s := range m.Statements {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations", "version", int64(m.Version))
		return err
	})
}
