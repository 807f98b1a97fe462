"""Error codes of inspections and enforcement: each names the rule a refusal applies, so tests and API clients
assert the code, not the wording. Generic codes (scope, duplicates, illegal transitions, stale writes) stay
`anlan.core.errors.Code`."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # plans and the inspector pool
    PLAN_NOT_TWELVE_MONTHS = "plan_not_twelve_months"
    PLAN_COUNT_NOT_WHOLE = "plan_count_not_whole"
    CONFLICT_REASON_MISSING = "conflict_reason_missing"
    # 双随机 draws
    DRAW_PERIOD_MISSING = "draw_period_missing"
    PERIOD_BACKWARDS = "period_backwards"
    DRAW_SEED_NEGATIVE = "draw_seed_negative"
    DRAW_METHOD_UNKNOWN = "draw_method_unknown"
    DRAW_WEIGHT_NOT_POSITIVE = "draw_weight_not_positive"
    DRAW_SAMPLE_EMPTY = "draw_sample_empty"
    DRAW_POOL_TOO_SMALL = "draw_pool_too_small"
    DRAW_TOO_FEW_INSPECTORS = "draw_too_few_inspectors"
    DRAW_TOO_FEW_AFTER_CONFLICTS = "draw_too_few_after_conflicts"
    # teams and inspections
    TEAM_TOO_SMALL = "team_too_small"
    INSPECTOR_NOT_IN_POOL = "inspector_not_in_pool"
    INSPECTOR_NOT_CERTIFIED = "inspector_not_certified"
    INSPECTOR_CONFLICTED = "inspector_conflicted"
    RANDOM_INSPECTION_NEEDS_DRAW = "random_inspection_needs_draw"
    SUBJECT_MISSING = "subject_missing"
    CHECKLIST_UNKNOWN = "checklist_unknown"
    DRAWN_INSPECTION_NOT_CANCELLABLE = "drawn_inspection_not_cancellable"
    # the record of a visit
    RECORD_TIMES_MISSING = "record_times_missing"
    RECORD_FINISHED_BEFORE_ARRIVAL = "record_finished_before_arrival"
    RECORD_FINISHED_IN_FUTURE = "record_finished_in_future"
    UNANNOUNCED_WITH_ESCORT = "unannounced_with_escort"
    UNANNOUNCED_ARRIVAL_MISSING = "unannounced_arrival_missing"
    ANSWER_MISSING = "answer_missing"
    ANSWER_NOT_IN_CHECKLIST = "answer_not_in_checklist"
    ANSWER_RESULT_INVALID = "answer_result_invalid"
    HAZARD_GRADE_INVALID = "hazard_grade_invalid"
    FINDING_UNEXPLAINED = "finding_unexplained"
    NO_SUSPENSION_IN_FORCE = "no_suspension_in_force"
    # enforcement and documents
    INSPECTION_NOT_RECORDED = "inspection_not_recorded"
    AMOUNT_MALFORMED = "amount_malformed"
    FINE_AMOUNT_MISSING = "fine_amount_missing"
    RECTIFICATION_DEADLINE_MISSING = "rectification_deadline_missing"
    DEADLINE_IN_PAST = "deadline_in_past"
    REFERRAL_BODY_MISSING = "referral_body_missing"
    LICENCE_MISSING = "licence_missing"
    MEASURE_NEEDS_ENTERPRISE = "measure_needs_enterprise"
    FINDING_NOT_OF_INSPECTION = "finding_not_of_inspection"
    FINDINGS_MISSING = "findings_missing"
    ALREADY_SUSPENDED = "already_suspended"
    LETTER_KIND_UNKNOWN = "letter_kind_unknown"
    ADDRESSEE_MISSING = "addressee_missing"
    LETTER_CONTENT_MISSING = "letter_content_missing"
    RECHECK_WITHOUT_ORDER = "recheck_without_order"
    RECHECK_CONCLUSION_MISSING = "recheck_conclusion_missing"
    RECHECK_BEFORE_RECTIFICATION = "recheck_before_rectification"
    # 停产整顿 and 复产验收
    EVIDENCE_MISSING = "evidence_missing"
    CHAIN_NOT_CONFIGURED = "chain_not_configured"
    ISSUING_LEVEL_UNKNOWN = "issuing_level_unknown"
    NOT_STEP_APPROVER = "not_step_approver"
    REFUSAL_WITHOUT_OPINION = "refusal_without_opinion"
    SIGNER_SIGNED_EARLIER_STEP = "signer_signed_earlier_step"
    RECORDER_NOT_OF_DEPARTMENT = "recorder_not_of_department"
    RESUMPTION_MAJOR_HAZARD_OPEN = "resumption_major_hazard_open"
    RESUMPTION_ORDER_OPEN = "resumption_order_open"
    SCORE_PROPOSAL_DECIDED = "score_proposal_decided"
    # the 双随机 window, joint teams, towns' and leaders' own checks, enforcement
    RANDOM_RECORDED_EARLY = "random_recorded_early"
    JOINT_LEAD_MISSING = "joint_lead_missing"
    JOINT_ONE_DEPARTMENT = "joint_one_department"
    OWN_CHECK_KIND = "own_check_kind"
    OWN_CHECK_NO_ENFORCEMENT = "own_check_no_enforcement"
    ENFORCER_NOT_CERTIFIED = "enforcer_not_certified"
    NOT_OWN_CHECK = "not_own_check"
    # 安全生产记分
    SCORING_RULE_INACTIVE = "scoring_rule_inactive"
    SCORED_IN_FUTURE = "scored_in_future"
    INSPECTION_OF_OTHER_ENTERPRISE = "inspection_of_other_enterprise"
    # 提请关闭 (安全生产法 第一百一十三条)
    CLOSURE_FACTS_MISSING = "closure_facts_missing"
    CLOSURE_BASIS_MISSING = "closure_basis_missing"
    CLOSURE_DECISION_NUMBER_MISSING = "closure_decision_number_missing"
    CLOSURE_DECISION_DATE_MISSING = "closure_decision_date_missing"
    CLOSURE_DECISION_DATE_FUTURE = "closure_decision_date_future"
    CLOSURE_DECISION_BEFORE_PROPOSAL = "closure_decision_before_proposal"
    # issue #14: 复产 after a 挂牌督办 halt, 双随机 publication
    SUPERVISION_NOT_OF_ENTERPRISE = "supervision_not_of_enterprise"
    SUPERVISION_ONLY_FOR_SUSPENSION = "supervision_only_for_suspension"
    SUPERVISION_ALREADY_LINKED = "supervision_already_linked"
    PUBLISH_DAYS_NEGATIVE = "publish_days_negative"
