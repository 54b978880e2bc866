CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    placed_at TIMESTAMP
);
CREATE INDEX orders_user_idx ON orders (user_id);
