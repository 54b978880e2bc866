// Package dbconn wraps *sql.DB with pool configuration, health tracking,
// tracing and replica health checks.
package dbconn

import (
	"errors"
	"fmt"
	"time"

	// The default driver for local runs and tests.
	_ "example.com/databaselayer/internal/fakedb"
)

// Config describes how to open and size a connection pool.
type Config struct {
	Driver          string
	DSN             string
	MaxOpen         int
	MaxIdle         int
	ConnMaxLifetime time.Duration
	PingTimeout     time.Duration
}

// DefaultConfig returns sane pool settings for dsn on the fake driver.
func DefaultConfig(dsn string) Config {
	return Config{
		Driver:          "fakedb",
		DSN:             dsn,
		MaxOpen:         8,
		MaxIdle:         4,
		ConnMaxLifetime: 30 * time.Minute,
		PingTimeout:     2 * time.Second,
	}
}

// Validate reports the first problem with c.
func (c Config) Validate() error {
	switch {
	case c.Driver == "":
		return errors.New("dbconn: driver is required")
	case c.DSN == "":
		return errors.New("dbconn: dsn is required")
	case c.MaxOpen < 0 || c.MaxIdle < 0:
		return fmt.Errorf("dbconn: negative pool size (open=%d idle=%d)", c.MaxOpen, c.MaxIdle)
	case c.MaxOpen > 0 && c.MaxIdle > c.MaxOpen:
		return fmt.Errorf("dbconn: MaxIdle %d exceeds MaxOpen %d", c.MaxIdle, c.MaxOpen)
	case c.PingTimeout <= 0:
		return errors.New("dbconn: PingTimeout must be positive")
	}
	return nil
}

// Redacted returns the DSN with any password removed, for logs.
func (c Config) Redacted() string {
	at := -1
	for i := len(c.DSN) - 1; i >= 0; i-- {
		if c.DSN[i] == '@' {
			at = i
			break
		}
	}
	if at < 0 {
		return c.DSN
	}
	return "***" + c.DSN[at:]
}
