// Package config loads and validates the release configuration (relcli.json).
package config

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileName is the default configuration file name looked up by FindConfig.
const FileName = "relcli.json"

// Config is the top-level release configuration.
type Config struct {
	Project string        `json:"project"`
	Version string        `json:"version"`
	DistDir string        `json:"dist_dir"`
	Main    string        `json:"main"`
	Targets []Target      `json:"targets"`
	Formats []string      `json:"formats"`
	Sign    SignConfig    `json:"sign"`
	Publish PublishConfig `json:"publish"`
	Hooks   Hooks         `json:"hooks"`
	Env     []string      `json:"env"`
}

// Target is one GOOS/GOARCH pair to build.
type Target struct {
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	Ldflags string `json:"ldflags"`
	CGO     bool   `json:"cgo"`
	CC      string `json:"cc"`
}

// String returns "os/arch".
func (t Target) String() string {
	return t.OS + "/" + t.Arch
}

// SignConfig selects the signing backend.
type SignConfig struct {
	Tool     string `json:"tool"`
	KeyID    string `json:"key_id"`
	Detached bool   `json:"detached"`
}

// PublishConfig describes the artifact store.
type PublishConfig struct {
	URL         string   `json:"url"`
	TokenEnv    string   `json:"token_env"`
	Concurrency int      `json:"concurrency"`
	Timeout     Duration `json:"timeout"`
}

// Hooks are shell commands run around the build.
type Hooks struct {
	Before []string `json:"before"`
	After  []string `json:"after"`
}

// Duration is a time.Duration that unmarshals from a JSON string like "30s".
type Duration struct {
	time.Duration
}

// UnmarshalJSON accepts either a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("config: bad duration %q: %w", s, err)
		}
		d.Duration = v
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("config: duration must be a string or a number: %s", b)
	}
	d.Duration = time.Duration(secs * float64(time.Second))
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.Duration.String())
}

// Load reads, defaults and validates the configuration at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()

	var cfg Config
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	env, err := readEnvFile(filepath.Join(filepath.Dir(path), ".release.env"))
	if err != nil {
		return nil, err
	}
	cfg.applyEnv(env)
	cfg.applyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return &cfg, nil
}

// LoadWithOverlay reads a base config and then decodes an optional overlay
// file (for example relcli.ci.json) on top of it.
func LoadWithOverlay(basePath, overlayPath string) (*Config, error) {
	f, err := os.Open(basePath)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close() // HAZ defer-eager-evaluation

	var cfg Config
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return nil, fmt.Errorf("config: %s: %w", basePath, err)
	}
	if overlayPath != "" {
		f, err = os.Open(overlayPath)
		if err != nil {
			return nil, fmt.Errorf("config: overlay: %w", err)
		}
		if err := json.NewDecoder(f).Decode(&cfg); err != nil {
			return nil, fmt.Errorf("config: %s: %w", overlayPath, err)
		}
	}
	cfg.applyDefaults()
	return &cfg, cfg.Validate()
}

// readEnvFile parses KEY=VALUE lines; a missing file yields an empty map.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return map[string]string{}, nil
		}
		return nil, fmt.Errorf("config: env file: %w", err)
	}

	env := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("config: %s: malformed line %q", path, line)
		}
		env[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return env, sc.Err()
}

// applyEnv lets RELCLI_VERSION and RELCLI_PUBLISH_URL from the env file or the
// process environment override the file values.
func (c *Config) applyEnv(fileEnv map[string]string) {
	lookup := func(key string) (string, bool) {
		if v, ok := os.LookupEnv(key); ok {
			return v, true
		}
		v, ok := fileEnv[key]
		return v, ok
	}
	if v, ok := lookup("RELCLI_VERSION"); ok && v != "" {
		c.Version = v
	}
	if v, ok := lookup("RELCLI_PUBLISH_URL"); ok && v != "" {
		c.Publish.URL = v
	}
}

func (c *Config) applyDefaults() {
	if c.DistDir == "" {
		c.DistDir = "dist"
	}
	if c.Main == "" {
		c.Main = "."
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"tar.gz"}
	}
	if c.Publish.Concurrency <= 0 {
		c.Publish.Concurrency = 4
	}
	if c.Publish.Timeout.Duration == 0 {
		c.Publish.Timeout.Duration = 5 * time.Minute
	}
	if c.Sign.Tool == "" {
		c.Sign.Tool = "gpg"
	}
}

// Validate reports the first problem with the configuration.
func (c *Config) Validate() error {
	if c.Project == "" {
		return errors.New("project is required")
	}
	if len(c.Targets) == 0 {
		return errors.New("at least one target is required")
	}
	seen := make(map[string]bool, len(c.Targets))
	for _, t := range c.Targets {
		if t.OS == "" || t.Arch == "" {
			return fmt.Errorf("target %q: os and arch are required", t)
		}
		if seen[t.String()] {
			return fmt.Errorf("target %s listed twice", t)
		}
		seen[t.String()] = true
	}
	for _, f := range c.Formats {
		switch f {
		case "tar.gz", "zip":
		default:
			return fmt.Errorf("unknown archive format %q", f)
		}
	}
	return nil
}

// FindConfig walks up from dir until it finds FileName.
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("config: no %s found", FileName)
		}
		dir = parent
	}
}

// Save writes cfg atomically via a temp file in the same directory.
func Save(path string, cfg *Config) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".relcli-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())

	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
