#pragma once

#include "deadletters.h"

// The field names of design 003's dead-letter record as its bson tags write them
// (snake_case), with the content going back as `value`: the record most teams that do not
// write camelCase use.
inline DeadLetterFields snakeCaseDeadLetterFields()
{
    DeadLetterFields f;
    f.originalStreamField = "original_topic_name";
    f.originalIdField = "original_message_id";
    f.groupField = "consumer_group_id";
    f.reasonField = "failure_reason";
    f.retryCountField = "retry_count";
    f.failedAtField = "failed_at";
    f.contentField = "message_content";
    f.contentOriginalField = "value";
    return f;
}
