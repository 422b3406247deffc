// Generated from openapi/sessions.yaml by `npm run generate` (scripts/mcp-tools.mjs). Do not edit.
import type { ToolSpec } from './tool-spec.js';

export const operationIds = ["listSessions","createSession","getSession","deleteSession","addMessage","updateContext","closeSession","completeSession","queryMemory"] as const;

export type OperationId = (typeof operationIds)[number];

/** What every tool answers when the call failed: the API error body, the status and the request id. */
const toolError = {
  "type": "object",
  "description": "The tool failed: the API error body, with the HTTP status and the request id of the response.",
  "required": [
    "error",
    "code",
    "details",
    "status",
    "request_id"
  ],
  "properties": {
    "error": {
      "type": "string",
      "description": "A human-readable message."
    },
    "code": {
      "type": "string",
      "enum": [
        "VALIDATION_ERROR",
        "AUTH_REQUIRED",
        "AUTH_INVALID",
        "NOT_FOUND",
        "METHOD_NOT_ALLOWED",
        "CONFLICT",
        "PAYLOAD_TOO_LARGE",
        "UNSUPPORTED_MEDIA_TYPE",
        "IDEMPOTENCY_KEY_REUSED",
        "RATE_LIMITED",
        "USAGE_LIMIT_EXCEEDED",
        "INTERNAL_ERROR",
        "SERVICE_UNAVAILABLE"
      ]
    },
    "details": {
      "type": [
        "object",
        "null"
      ],
      "additionalProperties": true,
      "description": "Machine-readable facts about the error, or null."
    },
    "hint": {
      "type": "string",
      "description": "What to do about it."
    },
    "status": {
      "type": [
        "integer",
        "null"
      ],
      "description": "The HTTP status, or null when no response came back."
    },
    "request_id": {
      "type": [
        "string",
        "null"
      ],
      "description": "The x-request-id of the response; quote it when reporting a problem."
    }
  }
};

/** Every operation of the Sessions API as an MCP tool. */
export const toolSpecs: readonly ToolSpec<OperationId>[] = [
  {
    "name": "listSessions",
    "title": "List sessions",
    "description": "List sessions\n\nLists the organisation's sessions, newest first (by `created_at`, then `id`), one page at\na time. Follow `next_cursor` until it is null. `status=active` never returns a session\nwhose TTL has elapsed. The `closed` filter is an (extension).",
    "method": "GET",
    "path": "/sessions",
    "inputSchema": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "description": "Only sessions in this status.",
          "enum": [
            "active",
            "closed",
            "completed",
            "expired"
          ]
        },
        "limit": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 20,
          "description": "Page size."
        },
        "cursor": {
          "type": "string",
          "minLength": 1,
          "maxLength": 512,
          "description": "The `next_cursor` of the previous page. Opaque; pass it back unchanged."
        }
      },
      "additionalProperties": false
    },
    "pathParams": [],
    "queryParams": [
      "status",
      "limit",
      "cursor"
    ],
    "body": null,
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "sessions",
            "count",
            "has_more",
            "next_cursor"
          ],
          "properties": {
            "sessions": {
              "type": "array",
              "items": {
                "type": "object",
                "required": [
                  "id",
                  "name",
                  "status",
                  "ttl_seconds",
                  "expires_at",
                  "message_count",
                  "context",
                  "created_at",
                  "updated_at",
                  "closed_at",
                  "completed_at",
                  "summary_status"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "readOnly": true,
                    "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
                    "description": "`sess_` followed by 16 or more URL-safe characters."
                  },
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 256,
                    "description": "Human-readable name; need not be unique."
                  },
                  "status": {
                    "allOf": [
                      {
                        "type": "string",
                        "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                        "enum": [
                          "active",
                          "closed",
                          "completed",
                          "expired"
                        ]
                      }
                    ],
                    "readOnly": true
                  },
                  "ttl_seconds": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 2592000,
                    "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
                  },
                  "expires_at": {
                    "type": "integer",
                    "minimum": 0,
                    "readOnly": true,
                    "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
                  },
                  "message_count": {
                    "type": "integer",
                    "minimum": 0,
                    "readOnly": true,
                    "description": "Number of stored messages."
                  },
                  "context": {
                    "type": "object",
                    "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
                    "additionalProperties": true
                  },
                  "created_at": {
                    "type": "integer",
                    "minimum": 0,
                    "readOnly": true,
                    "description": "(extension) Epoch ms of creation."
                  },
                  "updated_at": {
                    "type": "integer",
                    "minimum": 0,
                    "readOnly": true,
                    "description": "(extension) Epoch ms of the last change."
                  },
                  "closed_at": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "minimum": 0,
                    "readOnly": true,
                    "description": "(extension) Epoch ms of close, or null."
                  },
                  "completed_at": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "minimum": 0,
                    "readOnly": true,
                    "description": "(extension) Epoch ms of completion, or null."
                  },
                  "summary_status": {
                    "allOf": [
                      {
                        "type": "string",
                        "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                        "enum": [
                          "none",
                          "pending",
                          "stored",
                          "failed"
                        ]
                      }
                    ],
                    "readOnly": true
                  }
                }
              }
            },
            "count": {
              "type": "integer",
              "minimum": 0,
              "description": "Number of sessions in this page."
            },
            "has_more": {
              "type": "boolean",
              "description": "Whether another page follows."
            },
            "next_cursor": {
              "type": [
                "string",
                "null"
              ],
              "description": "Pass as `cursor` to get the next page; null on the last page."
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "List sessions",
      "readOnlyHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "createSession",
    "title": "Create a session",
    "description": "Create a session\n\nCreates an `active` session. `expires_at` is fixed at creation\n(`created_at + ttl_seconds * 1000`); activity does not extend it.",
    "method": "POST",
    "path": "/sessions",
    "inputSchema": {
      "type": "object",
      "properties": {
        "name": {
          "type": "string",
          "minLength": 1,
          "maxLength": 256,
          "description": "Human-readable session name."
        },
        "ttl_seconds": {
          "type": "integer",
          "minimum": 1,
          "maximum": 2592000,
          "default": 3600,
          "description": "Time to live in seconds (default 3600, at most 30 days)."
        },
        "context": {
          "type": "object",
          "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
          "additionalProperties": true
        }
      },
      "required": [
        "name"
      ],
      "additionalProperties": false
    },
    "pathParams": [],
    "queryParams": [],
    "body": {
      "kind": "properties",
      "names": [
        "name",
        "ttl_seconds",
        "context"
      ]
    },
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "id",
            "name",
            "status",
            "ttl_seconds",
            "expires_at",
            "message_count",
            "context",
            "created_at",
            "updated_at",
            "closed_at",
            "completed_at",
            "summary_status"
          ],
          "properties": {
            "id": {
              "type": "string",
              "readOnly": true,
              "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
              "description": "`sess_` followed by 16 or more URL-safe characters."
            },
            "name": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256,
              "description": "Human-readable name; need not be unique."
            },
            "status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                  "enum": [
                    "active",
                    "closed",
                    "completed",
                    "expired"
                  ]
                }
              ],
              "readOnly": true
            },
            "ttl_seconds": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2592000,
              "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
            },
            "expires_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
            },
            "message_count": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Number of stored messages."
            },
            "context": {
              "type": "object",
              "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
              "additionalProperties": true
            },
            "created_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of creation."
            },
            "updated_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of the last change."
            },
            "closed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of close, or null."
            },
            "completed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of completion, or null."
            },
            "summary_status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                  "enum": [
                    "none",
                    "pending",
                    "stored",
                    "failed"
                  ]
                }
              ],
              "readOnly": true
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Create a session",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    }
  },
  {
    "name": "getSession",
    "title": "Get a session with its messages",
    "description": "Get a session with its messages\n\nReturns the session and every message, oldest first. Closed, completed and expired\nsessions can still be read.",
    "method": "GET",
    "path": "/sessions/{id}",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": null,
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "description": "A session plus every message, oldest first.",
          "allOf": [
            {
              "type": "object",
              "required": [
                "id",
                "name",
                "status",
                "ttl_seconds",
                "expires_at",
                "message_count",
                "context",
                "created_at",
                "updated_at",
                "closed_at",
                "completed_at",
                "summary_status"
              ],
              "properties": {
                "id": {
                  "type": "string",
                  "readOnly": true,
                  "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
                  "description": "`sess_` followed by 16 or more URL-safe characters."
                },
                "name": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 256,
                  "description": "Human-readable name; need not be unique."
                },
                "status": {
                  "allOf": [
                    {
                      "type": "string",
                      "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                      "enum": [
                        "active",
                        "closed",
                        "completed",
                        "expired"
                      ]
                    }
                  ],
                  "readOnly": true
                },
                "ttl_seconds": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 2592000,
                  "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
                },
                "expires_at": {
                  "type": "integer",
                  "minimum": 0,
                  "readOnly": true,
                  "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
                },
                "message_count": {
                  "type": "integer",
                  "minimum": 0,
                  "readOnly": true,
                  "description": "Number of stored messages."
                },
                "context": {
                  "type": "object",
                  "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
                  "additionalProperties": true
                },
                "created_at": {
                  "type": "integer",
                  "minimum": 0,
                  "readOnly": true,
                  "description": "(extension) Epoch ms of creation."
                },
                "updated_at": {
                  "type": "integer",
                  "minimum": 0,
                  "readOnly": true,
                  "description": "(extension) Epoch ms of the last change."
                },
                "closed_at": {
                  "type": [
                    "integer",
                    "null"
                  ],
                  "minimum": 0,
                  "readOnly": true,
                  "description": "(extension) Epoch ms of close, or null."
                },
                "completed_at": {
                  "type": [
                    "integer",
                    "null"
                  ],
                  "minimum": 0,
                  "readOnly": true,
                  "description": "(extension) Epoch ms of completion, or null."
                },
                "summary_status": {
                  "allOf": [
                    {
                      "type": "string",
                      "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                      "enum": [
                        "none",
                        "pending",
                        "stored",
                        "failed"
                      ]
                    }
                  ],
                  "readOnly": true
                }
              }
            },
            {
              "type": "object",
              "required": [
                "messages"
              ],
              "properties": {
                "messages": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "id",
                      "role",
                      "content",
                      "tool_call_id",
                      "tool_name",
                      "created_at"
                    ],
                    "properties": {
                      "id": {
                        "type": "string",
                        "readOnly": true,
                        "pattern": "^msg_[A-Za-z0-9_-]{16,}$",
                        "description": "`msg_` followed by 16 or more URL-safe characters."
                      },
                      "role": {
                        "type": "string",
                        "enum": [
                          "user",
                          "assistant"
                        ]
                      },
                      "content": {
                        "type": "string",
                        "maxLength": 200000,
                        "description": "Message text, up to 200,000 characters (may be empty)."
                      },
                      "tool_call_id": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "maxLength": 256,
                        "description": "The tool call this message answers, or null."
                      },
                      "tool_name": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "maxLength": 256,
                        "description": "The tool that was called, or null."
                      },
                      "created_at": {
                        "type": "integer",
                        "minimum": 0,
                        "readOnly": true,
                        "description": "Epoch ms when the message was stored."
                      }
                    }
                  }
                }
              }
            }
          ]
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Get a session with its messages",
      "readOnlyHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "deleteSession",
    "title": "Delete a session",
    "description": "Delete a session\n\nDeletes the session and its messages, in any status. Summaries already written to memory\nstay. A second delete answers 404.",
    "method": "DELETE",
    "path": "/sessions/{id}",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": null,
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "id",
            "deleted"
          ],
          "properties": {
            "id": {
              "type": "string"
            },
            "deleted": {
              "type": "boolean",
              "const": true
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Delete a session",
      "readOnlyHint": false,
      "destructiveHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "addMessage",
    "title": "Add a message",
    "description": "Add a message\n\nAppends a message to an `active` session. Closed, completed and expired sessions answer\n409 with `details.status`. Send an `Idempotency-Key` so that a retried append is stored once.",
    "method": "POST",
    "path": "/sessions/{id}/messages",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        },
        "role": {
          "type": "string",
          "enum": [
            "user",
            "assistant"
          ]
        },
        "content": {
          "type": "string",
          "maxLength": 200000
        },
        "tool_call_id": {
          "type": [
            "string",
            "null"
          ],
          "maxLength": 256,
          "description": "The id of the tool call this message responds to."
        },
        "tool_name": {
          "type": [
            "string",
            "null"
          ],
          "maxLength": 256,
          "description": "The name of the tool that was called."
        }
      },
      "required": [
        "id",
        "role",
        "content"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": {
      "kind": "properties",
      "names": [
        "role",
        "content",
        "tool_call_id",
        "tool_name"
      ]
    },
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "id",
            "role",
            "content",
            "tool_call_id",
            "tool_name",
            "created_at"
          ],
          "properties": {
            "id": {
              "type": "string",
              "readOnly": true,
              "pattern": "^msg_[A-Za-z0-9_-]{16,}$",
              "description": "`msg_` followed by 16 or more URL-safe characters."
            },
            "role": {
              "type": "string",
              "enum": [
                "user",
                "assistant"
              ]
            },
            "content": {
              "type": "string",
              "maxLength": 200000,
              "description": "Message text, up to 200,000 characters (may be empty)."
            },
            "tool_call_id": {
              "type": [
                "string",
                "null"
              ],
              "maxLength": 256,
              "description": "The tool call this message answers, or null."
            },
            "tool_name": {
              "type": [
                "string",
                "null"
              ],
              "maxLength": 256,
              "description": "The tool that was called, or null."
            },
            "created_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Epoch ms when the message was stored."
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Add a message",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false
    }
  },
  {
    "name": "updateContext",
    "title": "Replace the context",
    "description": "Replace the context\n\nReplaces the session's `context` entirely (no merge): send the whole object. The body is\nthe context itself, any JSON object up to 64 KiB serialized. Only `active` sessions accept it.",
    "method": "PUT",
    "path": "/sessions/{id}/context",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        },
        "context": {
          "type": "object",
          "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
          "additionalProperties": true
        }
      },
      "required": [
        "id",
        "context"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": {
      "kind": "property",
      "name": "context"
    },
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "id",
            "name",
            "status",
            "ttl_seconds",
            "expires_at",
            "message_count",
            "context",
            "created_at",
            "updated_at",
            "closed_at",
            "completed_at",
            "summary_status"
          ],
          "properties": {
            "id": {
              "type": "string",
              "readOnly": true,
              "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
              "description": "`sess_` followed by 16 or more URL-safe characters."
            },
            "name": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256,
              "description": "Human-readable name; need not be unique."
            },
            "status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                  "enum": [
                    "active",
                    "closed",
                    "completed",
                    "expired"
                  ]
                }
              ],
              "readOnly": true
            },
            "ttl_seconds": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2592000,
              "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
            },
            "expires_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
            },
            "message_count": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Number of stored messages."
            },
            "context": {
              "type": "object",
              "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
              "additionalProperties": true
            },
            "created_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of creation."
            },
            "updated_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of the last change."
            },
            "closed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of close, or null."
            },
            "completed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of completion, or null."
            },
            "summary_status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                  "enum": [
                    "none",
                    "pending",
                    "stored",
                    "failed"
                  ]
                }
              ],
              "readOnly": true
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Replace the context",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "closeSession",
    "title": "Close a session",
    "description": "Close a session\n\nEnds an `active` session with status `closed` and sets `closed_at`. If it has messages,\n`summary_status` becomes `pending` and a summary is written to memory in the background\n(then `stored`, or `failed`); a session with no messages keeps `summary_status: none`.\nClosing a closed session returns it unchanged; closing a completed or expired one is 409.\nThe request has no body, or an empty JSON object `{}`.",
    "method": "POST",
    "path": "/sessions/{id}/close",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": null,
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "id",
            "name",
            "status",
            "ttl_seconds",
            "expires_at",
            "message_count",
            "context",
            "created_at",
            "updated_at",
            "closed_at",
            "completed_at",
            "summary_status"
          ],
          "properties": {
            "id": {
              "type": "string",
              "readOnly": true,
              "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
              "description": "`sess_` followed by 16 or more URL-safe characters."
            },
            "name": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256,
              "description": "Human-readable name; need not be unique."
            },
            "status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                  "enum": [
                    "active",
                    "closed",
                    "completed",
                    "expired"
                  ]
                }
              ],
              "readOnly": true
            },
            "ttl_seconds": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2592000,
              "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
            },
            "expires_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
            },
            "message_count": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Number of stored messages."
            },
            "context": {
              "type": "object",
              "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
              "additionalProperties": true
            },
            "created_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of creation."
            },
            "updated_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of the last change."
            },
            "closed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of close, or null."
            },
            "completed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of completion, or null."
            },
            "summary_status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                  "enum": [
                    "none",
                    "pending",
                    "stored",
                    "failed"
                  ]
                }
              ],
              "readOnly": true
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Close a session",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "completeSession",
    "title": "Mark a session completed (extension)",
    "description": "Mark a session completed (extension)\n\n(extension) Ends an `active` session with status `completed` and sets `completed_at`. No\nsummary is written. Completing a completed session returns it unchanged; completing a\nclosed or expired one is 409. The request has no body, or an empty JSON object `{}`.",
    "method": "POST",
    "path": "/sessions/{id}/complete",
    "inputSchema": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "description": "The session id (`sess_…`). An unknown id, a deleted one, or one of another organisation answers 404."
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "pathParams": [
      "id"
    ],
    "queryParams": [],
    "body": null,
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "id",
            "name",
            "status",
            "ttl_seconds",
            "expires_at",
            "message_count",
            "context",
            "created_at",
            "updated_at",
            "closed_at",
            "completed_at",
            "summary_status"
          ],
          "properties": {
            "id": {
              "type": "string",
              "readOnly": true,
              "pattern": "^sess_[A-Za-z0-9_-]{16,}$",
              "description": "`sess_` followed by 16 or more URL-safe characters."
            },
            "name": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256,
              "description": "Human-readable name; need not be unique."
            },
            "status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "`active` accepts messages and context updates. `closed` (ended by close; a summary is\nwritten), `completed` (ended by complete) and `expired` (TTL elapsed) are terminal and read-only.\n",
                  "enum": [
                    "active",
                    "closed",
                    "completed",
                    "expired"
                  ]
                }
              ],
              "readOnly": true
            },
            "ttl_seconds": {
              "type": "integer",
              "minimum": 1,
              "maximum": 2592000,
              "description": "Time to live in seconds, 1 to 2,592,000 (30 days)."
            },
            "expires_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Epoch ms when the session expires, `created_at + ttl_seconds * 1000`. Fixed at creation."
            },
            "message_count": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "Number of stored messages."
            },
            "context": {
              "type": "object",
              "description": "Arbitrary JSON object for agent state, at most 64 KiB serialized and 64 levels deep (deeper is 400 naming the path). Replaced entirely on update.",
              "additionalProperties": true
            },
            "created_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of creation."
            },
            "updated_at": {
              "type": "integer",
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of the last change."
            },
            "closed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of close, or null."
            },
            "completed_at": {
              "type": [
                "integer",
                "null"
              ],
              "minimum": 0,
              "readOnly": true,
              "description": "(extension) Epoch ms of completion, or null."
            },
            "summary_status": {
              "allOf": [
                {
                  "type": "string",
                  "description": "(extension) Where the memory summary stands: `none` (not closed, or closed with no\nmessages), `pending` (being written), `stored`, or `failed`.\n",
                  "enum": [
                    "none",
                    "pending",
                    "stored",
                    "failed"
                  ]
                }
              ],
              "readOnly": true
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Mark a session completed (extension)",
      "readOnlyHint": false,
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false
    }
  },
  {
    "name": "queryMemory",
    "title": "Query session memory",
    "description": "Query session memory\n\nFinds the summaries of the organisation's closed sessions that best match `query_text`,\nbest first. Scores are in [0, 1]. Only the `session-memory` namespace exists.",
    "method": "POST",
    "path": "/vectors/query",
    "inputSchema": {
      "type": "object",
      "properties": {
        "query_text": {
          "type": "string",
          "minLength": 1,
          "maxLength": 10000,
          "description": "What to look for."
        },
        "top_k": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 5,
          "description": "How many matches to return at most."
        },
        "namespace": {
          "allOf": [
            {
              "type": "string",
              "enum": [
                "session-memory"
              ],
              "description": "The memory namespace. Closed sessions write to `session-memory`."
            }
          ],
          "default": "session-memory"
        }
      },
      "required": [
        "query_text"
      ],
      "additionalProperties": false
    },
    "pathParams": [],
    "queryParams": [],
    "body": {
      "kind": "properties",
      "names": [
        "query_text",
        "top_k",
        "namespace"
      ]
    },
    "outputSchema": {
      "type": "object",
      "anyOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "matches",
            "count"
          ],
          "properties": {
            "matches": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "score",
                  "text",
                  "metadata"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "description": "The memory entry id."
                  },
                  "score": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "Lexical similarity to the query, higher is closer."
                  },
                  "text": {
                    "type": "string",
                    "description": "(extension) The stored summary."
                  },
                  "metadata": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "session_id",
                      "name",
                      "message_count",
                      "closed_at"
                    ],
                    "properties": {
                      "session_id": {
                        "type": "string"
                      },
                      "name": {
                        "type": "string"
                      },
                      "message_count": {
                        "type": "integer",
                        "minimum": 0
                      },
                      "closed_at": {
                        "type": "integer",
                        "minimum": 0
                      }
                    }
                  }
                }
              }
            },
            "count": {
              "type": "integer",
              "minimum": 0
            }
          }
        },
        toolError
      ]
    },
    "annotations": {
      "title": "Query session memory",
      "readOnlyHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    }
  }
];
