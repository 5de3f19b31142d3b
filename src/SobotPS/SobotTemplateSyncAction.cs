namespace SobotPS
{
    public enum SobotTemplateSyncAction
    {
        /// <summary>Missing from the account and created now.</summary>
        Created,
        /// <summary>Missing from the account; -WhatIf left it uncreated.</summary>
        WouldCreate,
        /// <summary>In the account and equal to its definition.</summary>
        UpToDate,
        /// <summary>In the account but different from its definition; not recreated.</summary>
        Drift,
    }
}
