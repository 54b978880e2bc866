package deferr

import (
	"bufio"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
)

func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	defer f.Close() // want `f from os\.Open on line 13 is used by the deferred f\.Close\(\) before err is checked`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `resp from net/http\.Get on line 22 .*nil dereference`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

func fetchIgnoringError(url string) []byte {
	resp, _ := http.Get(url)
	defer resp.Body.Close() // want `the error of net/http\.Get on line 31 is discarded`
	b, _ := io.ReadAll(resp.Body)
	return b
}

func doIgnoringError(c *http.Client, req *http.Request) int {
	resp, _ := c.Do(req)
	defer resp.Body.Close() // want `the error of \(\*net/http\.Client\)\.Do on line 38 is discarded`
	return resp.StatusCode
}

func dial(addr string) error {
	var conn net.Conn
	var err error
	conn, err = net.Dial("tcp", addr)
	defer conn.Close() // want `conn from net\.Dial on line 46`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("hi"))
	return err
}

func query(db *sql.DB) (int, error) {
	rows, err := db.Query("select 1")
	defer func() { // want `rows from \(\*database/sql\.DB\)\.Query on line 56 is used by the deferred function literal`
		rows.Close()
	}()
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, nil
}

func writeAll(path string, lines []string) error {
	f, err := os.Create(path)
	w := bufio.NewWriter(f)
	defer f.Close() // want `f from os\.Create on line 71`
	if err != nil {
		return err
	}
	for _, l := range lines {
		w.WriteString(l)
	}
	return w.Flush()
}

func nested(paths []string) error {
	for _, p := range paths {
		if p == "" {
			continue
		}
		func() {
			g, err := os.Open(p)
			defer g.Close() // want `g from os\.Open on line 89`
			if err != nil {
				return
			}
		}()
	}
	return nil
}

type store struct{ db *sql.DB }

func (s *store) tx() error {
	tx, err := s.db.Begin()
	defer tx.Rollback() // want `tx from \(\*database/sql\.DB\)\.Begin on line 102`
	if err != nil {
		return err
	}
	return tx.Commit()
}

func openLocal(name string) (*os.File, error) { return os.Open(name) }

func local(name string) error {
	h, err := openLocal(name)
	defer h.Close() // want `h from openLocal on line 113`
	if err != nil {
		return err
	}
	return nil
}

type apiResponse struct{ raw *http.Response }

func (r *apiResponse) RawBody() io.ReadCloser { return r.raw.Body }

func getAPI(url string) (*apiResponse, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return &apiResponse{raw: resp}, nil
}

// Through a method on the way: on failure resp is nil and resp.RawBody() dereferences it.
func fetchRaw(url string) error {
	resp, err := getAPI(url)
	defer resp.RawBody().Close() // want `resp from getAPI on line \d+ is used by the deferred resp.RawBody\(\).Close\(\) before err is checked`
	if err != nil {
		return err
	}
	return nil
}
