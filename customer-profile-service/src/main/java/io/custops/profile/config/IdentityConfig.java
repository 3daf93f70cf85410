package io.custops.profile.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Identity-resolution rules per identifier type (DESIGN.md §2, issue 3 point 2). */
@ConfigMapping(prefix = "custops.identity")
public interface IdentityConfig {

    /** Identifier types from the most to the least trusted; the most trusted wins a conflict. */
    @WithDefault("crm_id,member_card,erp_id,wechat_unionid,email,phone,wechat_openid,device_id")
    List<String> priority();

    /** How many identifiers of a type one profile may hold; types not listed may hold {@link #defaultMaxPerProfile()}. */
    Map<String, Integer> maxPerProfile();

    @WithDefault("3")
    int defaultMaxPerProfile();

    /** Values that never identify anyone (compared case-insensitively after normalisation). */
    @WithDefault("null,nil,none,undefined,unknown,anonymous,guest,test,n/a,na,-,-1,0")
    Set<String> blockedValues();

    /** Further per-deployment blocked values, e.g. shop test phone numbers. */
    @WithDefault("+10000000000")
    Set<String> blockedTestValues();

    /** How many profiles one survivor may absorb; a further link is reported, not merged. */
    @WithDefault("10")
    int maxMergesPerProfile();
}
