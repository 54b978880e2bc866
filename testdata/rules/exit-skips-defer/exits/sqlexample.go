package exits

import (
	"bufio"
	"database/sql"
	"log"
	"os"
)

// A database handle, its rows and an uncommitted transaction are all the server cleans up when
// the connection drops: nothing is lost yet (low confidence, as for a file).
func listUsers(db *sql.DB) {
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		log.Fatal(err) // want `while the deferred db\.Close\(\) \(line \d+\) is pending, so it never runs; here that loses nothing yet`
	}
	defer tx.Rollback()
	rows, err := tx.Query("SELECT name FROM users")
	if err != nil {
		log.Fatal(err) // want `log\.Fatal ends the process here in listUsers while the deferred db\.Close\(\) \(line \d+\), tx\.Rollback\(\) \(line \d+\) are pending, so they never run; here that loses nothing yet \(the kernel closes the descriptors when the process ends, and the database server ends the session`
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			log.Fatal(err) // want `here that loses nothing yet`
		}
	}
}

// A buffered writer's flush pending beside the rows: its data is lost, full confidence.
func exportUsers(db *sql.DB) {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	rows, err := db.Query("SELECT name FROM users")
	if err != nil {
		log.Fatal(err) // want `log\.Fatal ends the process here in exportUsers while the deferred w\.Flush\(\) \(line \d+\) is pending, so it never runs; return an error`
	}
	defer rows.Close()
}
