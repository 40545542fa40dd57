-- New submissions are written only by the submission writer (src/store/batch.rs), which adds a
-- whole batch to the 'new' count in the same transaction. A trigger did it row by row and was
-- a sixth of each insert's cost. Updates and deletes keep their triggers.
DROP TRIGGER status_counts_insert;
