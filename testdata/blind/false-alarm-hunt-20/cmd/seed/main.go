// Command seed loads fixture users into a running API.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"time"
)

type fixtureUser struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// fail reports and exits; it never returns.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "seed: "+format+"\n", args...)
	os.Exit(1)
}

func readFixtures(path string) ([]fixtureUser, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var users []fixtureUser
	if err := json.Unmarshal(data, &users); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return users, nil
}

func push(client *http.Client, base string, u fixtureUser) error {
	body, err := json.Marshal(map[string]string{"name": u.Name, "email": u.Email})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPatch, base+"/users/"+u.ID, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s: %s", u.ID, resp.Status)
	}
	return nil
}

func main() {
	base := flag.String("api", "http://127.0.0.1:8080", "API base URL")
	fixtures := flag.String("f", "fixtures/users.json", "fixture file")
	pidPath := flag.String("pid", "/tmp/fah20-seed.pid", "pid file guarding against concurrent runs")
	flag.Parse()

	if _, err := os.Stat(*pidPath); err == nil {
		fail("another seed run is active (%s exists)", *pidPath)
	} else if !errors.Is(err, fs.ErrNotExist) {
		fail("%v", err)
	}
	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fail("writing pid file: %v", err)
	}
	defer os.Remove(*pidPath)

	users, err := readFixtures(*fixtures)
	if err != nil {
		fail("%v", err) // HAZ exit-skips-defer
	}
	client := &http.Client{Timeout: 10 * time.Second}
	failed := 0
	for _, u := range users {
		if err := push(client, *base, u); err != nil {
			fmt.Fprintf(os.Stderr, "seed: %v\n", err)
			failed++
		}
	}
	fmt.Printf("seeded %d users, %d failed\n", len(users)-failed, failed)
}
