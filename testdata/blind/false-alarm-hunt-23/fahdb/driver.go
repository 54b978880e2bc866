// Package fahdb is a database/sql driver for the fahdb wire protocol.
//
//	db, err := sql.Open("fahdb", "fahdb://app@127.0.0.1:5544/main?dial_timeout=3s")
package fahdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

func init() {
	sql.Register("fahdb", &Driver{})
}

// Driver implements driver.Driver and driver.DriverContext.
type Driver struct{}

// Open opens a single connection; database/sql prefers OpenConnector.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn once for all connections of a pool.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return &Connector{cfg: cfg, drv: d}, nil
}

// Config is the parsed form of a DSN.
type Config struct {
	Addr          string
	User          string
	Database      string
	DialTimeout   time.Duration
	ReadTimeout   time.Duration
	StmtCacheSize int
}

// ParseDSN parses "fahdb://user@host:port/database?dial_timeout=3s&read_timeout=30s&stmt_cache=64".
func ParseDSN(dsn string) (*Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("fahdb: bad dsn: %w", err)
	}
	if u.Scheme != "fahdb" {
		return nil, fmt.Errorf("fahdb: bad dsn scheme %q", u.Scheme)
	}
	cfg := &Config{
		Addr:          u.Host,
		User:          u.User.Username(),
		Database:      strings.TrimLeft(u.Path, "/"),
		DialTimeout:   5 * time.Second,
		StmtCacheSize: 32,
	}
	if cfg.Addr == "" {
		cfg.Addr = net.JoinHostPort("127.0.0.1", "5544")
	}
	q := u.Query()
	if v := q.Get("dial_timeout"); v != "" {
		if cfg.DialTimeout, err = time.ParseDuration(v); err != nil {
			return nil, fmt.Errorf("fahdb: dial_timeout: %w", err)
		}
	}
	if v := q.Get("read_timeout"); v != "" {
		if cfg.ReadTimeout, err = time.ParseDuration(v); err != nil {
			return nil, fmt.Errorf("fahdb: read_timeout: %w", err)
		}
	}
	if v := q.Get("stmt_cache"); v != "" {
		if cfg.StmtCacheSize, err = strconv.Atoi(v); err != nil {
			return nil, fmt.Errorf("fahdb: stmt_cache: %w", err)
		}
	}
	return cfg, nil
}

// Connector dials new connections for database/sql.
type Connector struct {
	cfg    *Config
	drv    *Driver
	dialer net.Dialer
}

// Driver returns the driver that made c.
func (c *Connector) Driver() driver.Driver { return c.drv }

// Connect dials and authenticates one connection. The dial and the startup
// exchange share one deadline.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	return Dial(ctx, c.cfg, &c.dialer)
}

// Dial opens a connection outside database/sql, e.g. for the proxy pool.
func Dial(ctx context.Context, cfg *Config, d *net.Dialer) (*Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	nc, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	conn := newConn(nc, cfg)
	if err := conn.startup(ctx); err != nil {
		return nil, errors.Join(err, nc.Close())
	}
	return conn, nil
}

func isolationName(level driver.IsolationLevel) (string, error) {
	switch sql.IsolationLevel(level) {
	case sql.LevelDefault:
		return "DEFAULT", nil
	case sql.LevelReadCommitted:
		return "READ COMMITTED", nil
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		return "REPEATABLE READ", nil
	case sql.LevelSerializable:
		return "SERIALIZABLE", nil
	}
	return "", fmt.Errorf("fahdb: isolation level %d not supported", level)
}
