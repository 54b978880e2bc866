// Package consumer ties the pieces together: group membership, fetchers,
// the retrying handler, batched offset commits and the admin view.
package consumer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Duration is a time.Duration that reads "1.5s"-style strings from JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON accepts a duration string or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		d.Duration = v
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration: want a string like \"5s\" or nanoseconds: %w", err)
	}
	d.Duration = time.Duration(n)
	return nil
}

// Config configures a Consumer.
type Config struct {
	Group          string   `json:"group"`
	MemberID       string   `json:"member_id"`
	Topics         []string `json:"topics"`
	Workers        int      `json:"workers"`
	FetchBatch     int      `json:"fetch_batch"`
	Buffer         int      `json:"buffer"`
	CommitInterval Duration `json:"commit_interval"`
	LagInterval    Duration `json:"lag_interval"`
	LagWarn        int64    `json:"lag_warn"`
	MaxAttempts    int      `json:"max_attempts"`
	BackoffBase    Duration `json:"backoff_base"`
	BackoffMax     Duration `json:"backoff_max"`
	DeadLetterDir  string   `json:"dead_letter_dir"`
	OffsetsDir     string   `json:"offsets_dir"`
	HoldOnShutdown bool     `json:"hold_on_shutdown"`
	AdminAddr      string   `json:"admin_addr"`
	CPUProfile     string   `json:"cpu_profile"`
}

// WithDefaults fills in the unset fields.
func (c Config) WithDefaults() Config {
	if c.MemberID == "" {
		host, _ := os.Hostname()
		c.MemberID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.FetchBatch <= 0 {
		c.FetchBatch = 100
	}
	if c.Buffer <= 0 {
		c.Buffer = 256
	}
	if c.CommitInterval.Duration <= 0 {
		c.CommitInterval.Duration = 5 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.BackoffBase.Duration <= 0 {
		c.BackoffBase.Duration = 100 * time.Millisecond
	}
	if c.BackoffMax.Duration <= 0 {
		c.BackoffMax.Duration = 10 * time.Second
	}
	if c.DeadLetterDir == "" {
		c.DeadLetterDir = "dlq"
	}
	if c.OffsetsDir == "" {
		c.OffsetsDir = "offsets"
	}
	return c
}

// Validate reports configuration errors.
func (c Config) Validate() error {
	var errs []error
	if c.Group == "" {
		errs = append(errs, errors.New("group is required"))
	}
	if len(c.Topics) == 0 {
		errs = append(errs, errors.New("at least one topic is required"))
	}
	if c.BackoffMax.Duration < c.BackoffBase.Duration {
		errs = append(errs, fmt.Errorf("backoff_max %s is below backoff_base %s", c.BackoffMax, c.BackoffBase))
	}
	return errors.Join(errs...)
}

// LoadConfig reads a JSON configuration file and applies the defaults.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
