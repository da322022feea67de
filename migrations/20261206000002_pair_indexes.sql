-- Two listing filters at once whose cases are few (closed cases still in a
-- step, a step of another case type, an assignee's urgent ones): a walk
-- along the sort's index of one filter would pass over all of its cases to
-- find them, so each pair of filter columns has an index that counts and
-- finds them directly (`db::cases::narrow_pair`); the listing then sorts
-- those few. Column order follows `db::cases::FilterColumn::ALL`.
CREATE INDEX cases_pair_assignee_step ON cases (assignee_id, current_step);
CREATE INDEX cases_pair_assignee_type ON cases (assignee_id, case_type);
CREATE INDEX cases_pair_assignee_status ON cases (assignee_id, status);
CREATE INDEX cases_pair_assignee_priority ON cases (assignee_id, priority);
CREATE INDEX cases_pair_assignee_escalated ON cases (assignee_id, escalated);
CREATE INDEX cases_pair_step_type ON cases (current_step, case_type);
CREATE INDEX cases_pair_step_status ON cases (current_step, status);
CREATE INDEX cases_pair_step_priority ON cases (current_step, priority);
CREATE INDEX cases_pair_step_escalated ON cases (current_step, escalated);
CREATE INDEX cases_pair_type_status ON cases (case_type, status);
CREATE INDEX cases_pair_type_priority ON cases (case_type, priority);
CREATE INDEX cases_pair_type_escalated ON cases (case_type, escalated);
CREATE INDEX cases_pair_status_priority ON cases (status, priority);
CREATE INDEX cases_pair_status_escalated ON cases (status, escalated);
CREATE INDEX cases_pair_priority_escalated ON cases (priority, escalated);
