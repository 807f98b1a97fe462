"""Domain errors: a code to assert on, the field at fault, and a message for people."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    INVALID = "invalid"
    OUT_OF_SCOPE = "out_of_scope"
    DUPLICATE = "duplicate"
    IN_USE = "in_use"
    ILLEGAL_TRANSITION = "illegal_transition"
    STALE = "stale"


class ErrorCode(StrEnum):
    """The core registry's own refusals, each naming the rule it enforces (the kernel's `Code` stays for
    generic input-format, scope, duplicate, in-use and concurrency refusals)."""

    # Regions: national levels (省、市、县) come from the statistical division data
    REGION_NATIONAL_LEVEL = "region_national_level"
    REGION_BELOW_VILLAGE = "region_below_village"
    REGION_CODE_PREFIX = "region_code_prefix"
    # Grids and departments
    GRID_NOT_UNDER_VILLAGE = "grid_not_under_village"
    DEPARTMENT_WITHOUT_INDUSTRY = "department_without_industry"
    # Enterprises
    ENTERPRISE_FIELD_NOT_SELF_EDITABLE = "enterprise_field_not_self_editable"
    ENTERPRISE_STATUS_UNKNOWN = "enterprise_status_unknown"
    ENTERPRISE_STATUS_UNCHANGED = "enterprise_status_unchanged"
    ENTERPRISE_STATUS_TRANSITION = "enterprise_status_transition"
    ENTERPRISE_STATUS_REASON = "enterprise_status_reason"
    ENTERPRISE_RESUME_NEEDS_ACCEPTANCE = "enterprise_resume_needs_acceptance"
    ENTERPRISE_PRINCIPAL_REQUIRED = "enterprise_principal_required"
    ENTERPRISE_PRINCIPAL_ID_NUMBER_REQUIRED = "enterprise_principal_id_number_required"
    ENTERPRISE_PRINCIPAL_BARRED = "enterprise_principal_barred"
    PRINCIPAL_BAR_REASON = "principal_bar_reason"
    # Licences
    LICENCE_DATES = "licence_dates"
    LICENCE_KEPT_BY_SUPERVISOR = "licence_kept_by_supervisor"
    LICENCE_CHANGE_REASON = "licence_change_reason"
    LICENCE_CHANGE_TARGET = "licence_change_target"
    # Identifiers: 统一社会信用代码 (GB 32100-2015) and region codes
    USCC_LENGTH = "uscc_length"
    USCC_CHARSET = "uscc_charset"
    USCC_DIVISION = "uscc_division"
    USCC_ORG_CHECK = "uscc_org_check"
    USCC_CHECK = "uscc_check"
    # Contact numbers and dates as clerks write them
    PHONE_FORMAT = "phone_format"
    DATE_FORMAT = "date_format"
    REGION_CODE = "region_code"
    # Industries: GB/T 4754-2017 codes
    INDUSTRY_CODE = "industry_code"

    # People: 居民身份证号码 (GB 11643-1999)
    ID_NUMBER_LENGTH = "id_number_length"
    ID_NUMBER_CHARSET = "id_number_charset"
    ID_NUMBER_BIRTH_DATE = "id_number_birth_date"
    ID_NUMBER_CHECK = "id_number_check"
    PERSON_NAME_REQUIRED = "person_name_required"
    PERSON_ID_CONFLICT = "person_id_conflict"
    # Units
    UNIT_KIND_NOT_MANAGED = "unit_kind_not_managed"
    UNIT_NO_ANCHOR = "unit_no_anchor"
    UNIT_NAME_REQUIRED = "unit_name_required"
    UNIT_NAME_TAKEN = "unit_name_taken"
    UNIT_INACTIVE = "unit_inactive"
    # Working-day calendar
    CALENDAR_YEAR_MISSING = "calendar_year_missing"
    CALENDAR_DATA_INVALID = "calendar_data_invalid"
    WORKING_DAYS_NEGATIVE = "working_days_negative"
    # Receipt-confirmed tasks
    RECEIPT_NO_RECIPIENT = "receipt_no_recipient"
    RECEIPT_BAD_RECIPIENT = "receipt_bad_recipient"
    RECEIPT_NO_REGION = "receipt_no_region"
    RECEIPT_BAD_DEADLINE = "receipt_bad_deadline"
    RECEIPT_NOT_SENDER_MEMBER = "receipt_not_sender_member"
    RECEIPT_NOT_RECIPIENT = "receipt_not_recipient"
    RECEIPT_ALREADY_CONFIRMED = "receipt_already_confirmed"
    RECEIPT_CLOSED = "receipt_closed"
    RECEIPT_NOT_SENDER = "receipt_not_sender"
    RECEIPT_REASON_REQUIRED = "receipt_reason_required"
    RECEIPT_SUBJECT_KEY = "receipt_subject_key"
    RECEIPT_LINK_INVALID = "receipt_link_invalid"
    # Record tags
    TAG_MODEL_NOT_TAGGABLE = "tag_model_not_taggable"
    TAG_ALREADY_SET = "tag_already_set"
    TAG_NOT_SET = "tag_not_set"
    TAG_OWNER_ONLY = "tag_owner_only"


class DomainError(Exception):
    """Raised by services; views turn it into a form error, the API into a 400 with the same fields."""

    def __init__(self, code: Code | str, message, field: str | None = None, errors: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.field = field
        self.message = message
        # {field: [messages]} for validation failures of several fields at once
        self.errors = errors or {(field or "__all__"): [message]}

    @classmethod
    def from_validation(cls, exc) -> DomainError:
        """Wrap a Django ValidationError raised by full_clean()."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        field, messages = next(iter(errors.items()))
        return cls(Code.INVALID, messages[0], field=field, errors=errors)
