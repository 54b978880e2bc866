package callchain

import (
	"database/sql"
	"fmt"
	"os"
	"sync"
)

type service struct {
	mu   sync.Mutex
	conn *os.File
	db   *sql.DB
}

func (s *service) Shutdown() *service { fmt.Println("shutting down"); return s }
func (s *service) Wait()              {}
func (s *service) Log(msg string)     { fmt.Println(msg) }
func (s *service) Flush() *service    { return s }
func (s *service) Sync() error        { return nil }
func (s *service) Logger() *service   { return s }

func shutdownNow(s *service) {
	defer s.Shutdown().Wait() // want `in defer s.Shutdown\(\).Wait\(\), s.Shutdown\(\) runs now, at the defer statement, and only Wait waits until shutdownNow returns`
	fmt.Println("serving")
}

func flushNow(s *service) {
	defer s.Flush().Sync() // want `s.Flush\(\) runs now`
}

func logNow(s *service) {
	defer s.Logger().Log("done") // want `s.Logger\(\) runs now`
}

func tripleChain(s *service) {
	defer s.Shutdown().Flush().Wait() // want `s.Shutdown\(\).Flush\(\) runs now`
}

func plainFunctionReceiver() {
	defer current().Wait() // want `current\(\) runs now`
}

var global = &service{}

func current() *service { return global }

func throughField(s *service) {
	defer s.Flush().conn.Close() // want `s.Flush\(\) runs now`
}

func beginRollbackLooksIntended(db *sql.DB) {
	defer must(db.Begin()).Rollback() // want `must\(db.Begin\(\)\) runs now`
}

func must(tx *sql.Tx, err error) *sql.Tx {
	if err != nil {
		panic(err)
	}
	return tx
}

func inLiteral(s *service) {
	func() {
		defer s.Shutdown().Wait() // want `until the function literal on line 64 returns`
	}()
}
